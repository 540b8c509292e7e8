import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JobQueue } from './job-queue.service';
import { JobName, JobPayloads } from './jobs';

export interface OutboxJob<J extends JobName = JobName> {
  job: J;
  /** Deterministic (jobs.md): derived from what the job is about and its version. */
  jobId: string;
  payload: JobPayloads[J];
  /** When it should run; the relay turns it into a BullMQ delay. */
  runAt?: Date;
}

/**
 * The transactional outbox (jobs.md): a change that needs a job writes the
 * job here, in its own transaction. A crash between commit and enqueue then
 * delays the job; it never drops it, and a rolled-back change leaves no job.
 */
@Injectable()
export class Outbox {
  async add(m: EntityManager, jobs: OutboxJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const values: unknown[] = [];
    const rows = jobs.map((j, i) => {
      values.push(j.job, j.jobId, JSON.stringify(j.payload), j.runAt ?? new Date());
      return `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`;
    });
    await m.query(`INSERT INTO outbox (job_name, job_id, payload, run_at) VALUES ${rows.join(', ')}`, values);
  }
}

const RELAY_EVERY_MS = 200;
const BATCH = 500;

/**
 * Moves committed outbox rows into BullMQ and marks them sent. Every process
 * runs it; SKIP LOCKED shares the rows out, and the deterministic job ids make
 * a row sent twice (a crash after add, before the mark) harmless.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  onApplicationBootstrap(): void {
    const tick = async () => {
      try {
        await this.flush();
      } catch (error) {
        // PostgreSQL or Redis away: try again on the next tick.
        this.logger.warn(`outbox relay: ${(error as Error).message}`);
      }
      if (!this.stopped) this.timer = setTimeout(() => void tick(), RELAY_EVERY_MS);
    };
    this.timer = setTimeout(() => void tick(), RELAY_EVERY_MS);
  }

  /**
   * Before, not on, application shutdown: Nest runs every module's
   * beforeApplicationShutdown before any onApplicationShutdown, and TypeORM
   * closes its connections in the latter (cutting a flush under way with
   * "Connection terminated"; test/core/shutdown.test.ts).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Sends every unsent row; returns how many. One flush at a time per process. */
  flush(): Promise<number> {
    this.running ??= this.flushAll().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Forgets rows sent more than a week ago (the reconciliation sweep's housekeeping). */
  async prune(): Promise<void> {
    await this.db.query(`DELETE FROM outbox WHERE sent_at < now() - interval '7 days'`);
  }

  private async flushAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.db.transaction(async (m) => {
        const rows = (await m.query(
          `SELECT id, job_name, job_id, payload, run_at FROM outbox WHERE sent_at IS NULL
           ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        )) as { id: string; job_name: JobName; job_id: string; payload: JobPayloads[JobName]; run_at: Date }[];
        if (rows.length === 0) return 0;
        const now = Date.now();
        await Promise.all(
          rows.map((r) =>
            this.jobs.add(r.job_name, r.payload, { jobId: r.job_id, delay: Math.max(0, r.run_at.getTime() - now) }),
          ),
        );
        await m.query(`UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
        return rows.length;
      });
      total += sent;
      if (sent < BATCH) return total;
    }
  }
}
