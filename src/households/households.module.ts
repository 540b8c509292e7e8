import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CasesModule } from '../cases/cases.module';
import { DirectoryModule } from '../directory/directory.module';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

/** Around a case's household: contact details and moves (issue 13). */
@Module({
  imports: [AuditModule, CasesModule, DirectoryModule],
  controllers: [ContactsController],
  providers: [ContactsService],
  exports: [ContactsService],
})
export class HouseholdsModule {}
