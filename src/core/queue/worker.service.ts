import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Job, Worker } from 'bullmq';
import { rename, writeFile } from 'node:fs/promises';
import { AppConfig } from '../config/app-config';
import { discoveredMethods } from '../discovered-methods';
import { JOB_HANDLER } from './job-handler.decorator';
import { JobQueue } from './job-queue.service';
import { ALL_QUEUES, JobName, REPEATABLE_JOBS } from './jobs';
import { RedisClient } from '../redis/redis.module';
import { redisConnection } from './queue.module';
import { queueErrorLog } from './error-log';

type Handler = (payload: unknown, job: Job) => Promise<unknown>;

const HEARTBEAT_MS = 10_000;

/**
 * Finds every @JobHandler and dispatches each queue's jobs to them. Present
 * only where the worker runs: in `npm run start:worker`, or inside the API
 * with WORKER_MODE=embedded.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly workers: Worker[] = [];
  private handlers = new Map<string, Handler>();
  private scheduleTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly discovery: DiscoveryService,
    readonly scanner: MetadataScanner,
    readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly redis: RedisClient,
  ) {}

  /** Builds the job → handler table; a job with no handler or two stops the boot. */
  collectHandlers(): Map<string, Handler> {
    const found = discoveredMethods<Handler>(this, JOB_HANDLER);
    const problems: string[] = [];
    for (const job of Object.values(JobName)) {
      const count = found.get(job)?.length ?? 0;
      if (count !== 1) problems.push(`job "${job}" has ${count} handlers (needs exactly one)`);
    }
    if (problems.length > 0) throw new Error(`Job handlers are not wired correctly: ${problems.join('; ')}`);
    return new Map([...found].map(([job, handlers]) => [job, handlers[0]]));
  }

  onApplicationBootstrap(): void {
    this.handlers = this.collectHandlers();
    for (const queue of ALL_QUEUES) {
      const worker = new Worker(queue, (job) => this.dispatch(job), {
        connection: redisConnection(this.config.REDIS_URL),
        prefix: `${this.config.REDIS_PREFIX}:bull`,
        concurrency: 8,
        // A job whose worker died is taken over once its lock expires (jobs.md).
        lockDuration: this.config.WORKER_LOCK_MS,
        stalledInterval: this.config.WORKER_LOCK_MS,
      });
      // Errors are retried by BullMQ; log them without the payload.
      worker.on('failed', (job, err) =>
        this.logger.warn(
          { queue, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
          'job failed',
        ),
      );
      worker.on('error', queueErrorLog(this.logger, queue, 'worker'));
      this.workers.push(worker);
    }
    this.logger.log(`worker running on queues: ${ALL_QUEUES.join(', ')}`);
    // The repeatable jobs live in Redis; upserting them again every sweep
    // period brings them back if Redis lost everything (jobs.md, "Reconciliation").
    void this.upsertSchedules();
    this.scheduleTimer = setInterval(() => void this.upsertSchedules(), this.config.RECONCILE_EVERY_MS);
    const healthFile = this.config.WORKER_HEALTH_FILE;
    if (healthFile) {
      // The first beat once every worker has connected, then every 10 s.
      void Promise.all(this.workers.map((w) => w.waitUntilReady())).then(() => this.heartbeat(healthFile));
      this.heartbeatTimer = setInterval(() => void this.heartbeat(healthFile), HEARTBEAT_MS);
    }
  }

  /**
   * The worker serves no HTTP, so its container's healthcheck reads a file:
   * rewritten every 10 s while every queue's worker runs and Redis answers,
   * left to age otherwise (docker-compose.yml checks it is under a minute old).
   */
  private async heartbeat(file: string): Promise<void> {
    try {
      const running = this.workers.length > 0 && this.workers.every((w) => w.isRunning());
      if (!running) return;
      await this.redis.ping();
      // Written aside and renamed, so the healthcheck never reads a half-written file.
      await writeFile(`${file}.tmp`, `${new Date().toISOString()}\n`);
      await rename(`${file}.tmp`, file);
    } catch (error) {
      this.logger.warn(`worker heartbeat not written: ${(error as Error).message}`);
    }
  }

  private async upsertSchedules(): Promise<void> {
    try {
      for (const { job, everyMs } of REPEATABLE_JOBS) await this.jobs.every(job, everyMs(this.config), {});
    } catch (error) {
      this.logger.warn(`could not upsert job schedulers: ${(error as Error).message}`);
    }
  }

  private async dispatch(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    // Unreachable after collectHandlers, unless an old job outlived its type.
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    return handler(job.data, job);
  }

  /**
   * Graceful shutdown (jobs.md): stop taking jobs, let the ones in hand finish,
   * before PostgreSQL's and Redis's connections close (they close on
   * application shutdown, which Nest runs after every module's before-hook).
   */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.scheduleTimer);
    clearInterval(this.heartbeatTimer);
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
