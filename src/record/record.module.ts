import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CasesModule } from '../cases/cases.module';
import { HouseholdsModule } from '../households/households.module';
import { CaseRecordController } from './record.controller';
import { CaseRecordService } from './record.service';

/** The whole child record in one read (issue 13): reads cases, households, tasks and referrals, writes nothing but the audit. */
@Module({
  imports: [AuditModule, CasesModule, HouseholdsModule],
  controllers: [CaseRecordController],
  providers: [CaseRecordService],
})
export class CaseRecordModule {}
