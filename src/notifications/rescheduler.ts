import { Injectable } from '@nestjs/common';
import { JobQueue } from '../core/queue/job-queue.service';
import { JOB_QUEUE } from '../core/queue/jobs';
import type { OutboxJob } from '../core/queue/outbox';
import { Notifications } from './notifications.service';

/**
 * The common step of every reconciliation sweep (jobs.md): given the jobs
 * that should exist by now, put back on the queue those whose event was not
 * delivered yet. A job's id is its notification's event key, so "delivered"
 * is one lookup, and a job that is still on the queue is not doubled. It
 * lives with the notifications because "delivered" is theirs to answer.
 */
@Injectable()
export class Rescheduler {
  constructor(
    private readonly notifications: Notifications,
    private readonly jobs: JobQueue,
  ) {}

  async restore(points: (OutboxJob & { runAt: Date })[]): Promise<number> {
    if (points.length === 0) return 0;
    const delivered = await this.notifications.deliveredEventKeys(points.map((p) => p.jobId));
    const missing = points.filter((p) => !delivered.has(p.jobId));
    const now = Date.now();
    await Promise.all(
      missing.map(async (p) => {
        if (await this.revive(p)) return;
        await this.jobs.add(p.job, p.payload, { jobId: p.jobId, delay: Math.max(0, p.runAt.getTime() - now) });
      }),
    );
    return missing.length;
  }

  /**
   * A job that used up its attempts (PostgreSQL away for longer than the
   * retry budget) stays in BullMQ's failed set under its id, where adding the
   * same id again does nothing. Its work is still due and undelivered, so it
   * runs again with a fresh budget, under the same id: the notification key,
   * and so delivery exactly once, stay the same.
   */
  private async revive(p: OutboxJob): Promise<boolean> {
    const job = await this.jobs.queue(JOB_QUEUE[p.job]).getJob(p.jobId);
    if (!job || !(await job.isFailed())) return false;
    try {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    } catch (error) {
      // Another sweep revived it first (the job is no longer failed): nothing left to do.
      if (await job.isFailed()) throw error;
    }
    return true;
  }
}
