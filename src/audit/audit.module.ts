import { Global, Module } from '@nestjs/common';
import { AuditChain } from './audit-chain';
import { AuditController } from './audit.controller';
import { AuditEventsService } from './audit-events.service';
import { AuditLog } from './audit.service';

@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditLog, AuditChain, AuditEventsService],
  exports: [AuditLog, AuditChain],
})
export class AuditModule {}
