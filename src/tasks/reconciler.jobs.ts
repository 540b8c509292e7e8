import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Case } from '../cases/case.entity';
import { AppConfig } from '../core/config/app-config';
import { TokenService } from '../auth/token.service';
import { Idempotency } from '../core/idempotency';
import { JobHandler } from '../core/queue/job-handler.decorator';
import { JobName } from '../core/queue/jobs';
import { OutboxRelay } from '../core/queue/outbox';
import { Rescheduler } from '../notifications/rescheduler';
import { FollowUpRules } from './follow-up-rules';
import { TaskFactory } from './task-factory';
import { taskSchedule } from './task-schedule';

export interface SweepReport {
  relayed: number;
  enqueued: number;
  reviewsCreated: number;
}

/**
 * The reconciliation sweep (jobs.md): PostgreSQL is the truth, Redis the
 * clock. On a short cycle it looks for due work without a delivered event
 * and (re-)enqueues it under its deterministic id, so if Redis lost
 * everything the schedule is rebuilt; a job that still exists is not doubled.
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger('Reconciler');

  constructor(
    private readonly db: DataSource,
    private readonly relay: OutboxRelay,
    private readonly idempotency: Idempotency,
    private readonly tokens: TokenService,
    private readonly rescheduler: Rescheduler,
    private readonly factory: TaskFactory,
    private readonly rules: FollowUpRules,
    private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.Reconcile)
  async sweep(): Promise<SweepReport> {
    const relayed = await this.relay.flush();
    const enqueued = await this.taskJobs();
    const reviewsCreated = await this.reviews();
    await this.housekeeping();
    if (enqueued + reviewsCreated > 0)
      this.logger.log(`sweep: enqueued ${enqueued} task jobs, created ${reviewsCreated} reviews`);
    return { relayed, enqueued, reviewsCreated };
  }

  /** Open tasks' jobs that are due by the next sweep and whose event was not delivered yet. */
  private async taskJobs(): Promise<number> {
    const horizonMs = this.config.RECONCILE_EVERY_MS * 2;
    const policy = this.factory.schedulePolicy;
    const lead = Math.max(0, ...policy.reminderOffsetsMinutes) * 60_000;
    const tasks = (await this.db.query(
      `SELECT id, kind, due_at AS "dueAt", due_set_at AS "dueSetAt" FROM tasks
        WHERE status = 'open' AND due_at <= now() + make_interval(secs => $1)`,
      [(horizonMs + lead) / 1000],
    )) as { id: string; kind: string; dueAt: Date; dueSetAt: Date }[];
    const now = Date.now();
    const points = tasks.flatMap((t) =>
      taskSchedule(t, policy).filter(
        (p) =>
          p.runAt.getTime() <= now + horizonMs &&
          // A reminder "24 h before" is pointless once the task is due; the due and escalation points remain.
          !(p.job === JobName.TaskReminder && p.runAt.getTime() < t.dueAt.getTime() && t.dueAt.getTime() <= now),
      ),
    );
    return this.rescheduler.restore(points);
  }

  /** Every registered or monitored case has an open review task. */
  private async reviews(): Promise<number> {
    const cases = await this.db
      .getRepository(Case)
      .createQueryBuilder('c')
      .where(`c.status NOT IN ('closed', 'intake')`)
      .andWhere(`(c.protection <> 'none' OR c.status = 'monitoring')`)
      .andWhere(`NOT EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = c.id AND t.kind = 'review' AND t.status = 'open')`)
      .take(500)
      .getMany();
    let created = 0;
    for (const c of cases) {
      if (await this.db.transaction((m) => this.rules.ensureReview(m, c))) created += 1;
    }
    return created;
  }

  private async housekeeping(): Promise<void> {
    // Each table's owner forgets its own old rows.
    await this.relay.prune();
    await this.idempotency.prune();
    await this.tokens.pruneExpired(this.db.manager);
  }
}
