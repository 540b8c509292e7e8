import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Case } from '../cases/case.entity';
import { AppConfig } from '../core/config/app-config';
import { TokenService } from '../auth/token.service';
import { Idempotency } from '../core/idempotency';
import { JobHandler } from '../core/queue/job-handler.decorator';
import { JobName } from '../core/queue/jobs';
import { OutboxRelay } from '../core/queue/outbox';
import { RedisClient } from '../core/redis/redis.module';
import { Rescheduler } from '../notifications/rescheduler';
import { FollowUpRules } from './follow-up-rules';
import { TaskFactory } from './task-factory';
import { taskSchedule } from './task-schedule';

/**
 * A full pass over every open task's past reminder and escalation points runs
 * at boot, after Redis lost its data (the marker below is gone with it) and at
 * least this often; the sweeps between look only at the points that came due
 * since the previous sweep, so their work follows what changed, not the size
 * of the tasks table (issue 16: about 13,000 event keys every 30 s at scale).
 */
export const FULL_SWEEP_EVERY_MS = 60 * 60_000;
/** How far back a windowed sweep looks again: covers a job still retrying (about 254 s with the defaults). */
export const SWEEP_OVERLAP_MS = 15 * 60_000;
/** Set (under REDIS_PREFIX) by a full pass, expiring after FULL_SWEEP_EVERY_MS. */
const FULL_SWEEP_MARKER = 'reconciler:full-sweep';

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
    private readonly redis: RedisClient,
  ) {}

  /** Every point due up to this instant was checked by an earlier sweep of this process. */
  private checkedUntil: number | null = null;

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

  /**
   * Open tasks' jobs that are due by the next sweep and whose event was not
   * delivered yet: every such point in a full pass, else those that came due
   * since the last sweep (FULL_SWEEP_EVERY_MS).
   */
  private async taskJobs(): Promise<number> {
    const now = Date.now();
    const horizonMs = this.config.RECONCILE_EVERY_MS * 2;
    const full = this.checkedUntil === null || (await this.redis.exists(FULL_SWEEP_MARKER)) === 0;
    const from = full ? null : this.checkedUntil! - SWEEP_OVERLAP_MS;
    const policy = this.factory.schedulePolicy;
    const lead = Math.max(0, ...policy.reminderOffsetsMinutes) * 60_000;
    // A point lies between `lead` before its task's due time and the longest escalation delay after it.
    const lag = Math.max(policy.escalateAfterMinutes, policy.escalateSafetyCheckAfterMinutes) * 60_000;
    const tasks = (await this.db.query(
      `SELECT id, kind, due_at AS "dueAt", due_set_at AS "dueSetAt" FROM tasks
        WHERE status = 'open' AND due_at <= now() + make_interval(secs => $1)
          AND ($2::timestamptz IS NULL OR due_at >= $2::timestamptz)`,
      [(horizonMs + lead) / 1000, from === null ? null : new Date(from - lag)],
    )) as { id: string; kind: string; dueAt: Date; dueSetAt: Date }[];
    const points = tasks.flatMap((t) =>
      taskSchedule(t, policy).filter(
        (p) =>
          p.runAt.getTime() <= now + horizonMs &&
          (from === null || p.runAt.getTime() >= from) &&
          // A reminder "24 h before" is pointless once the task is due; the due and escalation points remain.
          !(p.job === JobName.TaskReminder && p.runAt.getTime() < t.dueAt.getTime() && t.dueAt.getTime() <= now),
      ),
    );
    const restored = await this.rescheduler.restore(points);
    if (full) await this.redis.set(FULL_SWEEP_MARKER, String(now), 'PX', FULL_SWEEP_EVERY_MS);
    this.checkedUntil = now + horizonMs;
    return restored;
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
