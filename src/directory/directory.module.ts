import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CodeListsController } from './code-lists.controller';
import { DistrictsController } from './districts.controller';
import { DistrictsService } from './districts.service';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsService } from './organizations.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [AuditModule],
  controllers: [UsersController, DistrictsController, OrganizationsController, CodeListsController],
  providers: [UsersService, DistrictsService, OrganizationsService],
  exports: [UsersService, DistrictsService],
})
export class DirectoryModule {}
