import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CasesModule } from '../cases/cases.module';
import { DirectoryModule } from '../directory/directory.module';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';
import { HouseholdMatches, HouseholdMatchesController } from './household-matches';

/** Around a case's household: contact details, moves, and finding a family already on record (issue 13). */
@Module({
  imports: [AuditModule, CasesModule, DirectoryModule],
  controllers: [ContactsController, HouseholdMatchesController],
  providers: [ContactsService, HouseholdMatches],
  exports: [ContactsService],
})
export class HouseholdsModule {}
