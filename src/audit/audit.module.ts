import { Module } from '@nestjs/common';
import { AuditChain } from './audit-chain';
import { AuditSealer } from './audit-seal.jobs';
import { AuditController } from './audit.controller';
import { AuditEventsService } from './audit-events.service';
import { AuditLog } from './audit.service';

@Module({
  controllers: [AuditController],
  providers: [AuditLog, AuditChain, AuditSealer, AuditEventsService],
  exports: [AuditLog],
})
export class AuditModule {}
