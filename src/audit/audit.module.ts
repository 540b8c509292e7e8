import { Global, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '../core/queue/job-queue.service';
import { JobName } from '../core/queue/jobs';
import { AuditChain } from './audit-chain';
import { AuditController } from './audit.controller';
import { AuditEventsService } from './audit-events.service';
import { AuditLog } from './audit.service';

/** How often new audit entries are sealed into the chain. */
export const AUDIT_SEAL_EVERY_MS = 3_000;

@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditLog, AuditChain, AuditEventsService],
  exports: [AuditLog, AuditChain],
})
export class AuditModule implements OnApplicationBootstrap {
  constructor(private readonly jobs: JobQueue) {}

  private readonly logger = new Logger('AuditModule');

  /**
   * The sealing job runs on a BullMQ job scheduler; upserting it is idempotent
   * across processes. Not awaited: with Redis down at boot the API still
   * starts (and reports not ready), and the schedule lands once Redis is back.
   */
  onApplicationBootstrap(): void {
    this.jobs
      .every(JobName.AuditSeal, AUDIT_SEAL_EVERY_MS, {})
      .catch((error: Error) => this.logger.error(`could not schedule audit sealing: ${error.message}`));
  }
}
