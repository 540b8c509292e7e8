import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { Idempotency } from '../core/idempotency';
import { DirectoryModule } from '../directory/directory.module';
import { CaseRecords } from './case-records';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';
import { ConsultationsService } from './consultations.service';
import { IntakeService } from './intake.service';
import { MatchTokens } from './match-tokens';
import { NotificationsModule } from '../notifications/notifications.module';

@Module({
  imports: [AuditModule, DirectoryModule, NotificationsModule],
  controllers: [CasesController],
  providers: [CaseRecords, CasesService, ConsultationsService, IntakeService, Idempotency, MatchTokens],
  exports: [CaseRecords, CasesService, ConsultationsService, IntakeService, Idempotency, MatchTokens],
})
export class CasesModule {}
