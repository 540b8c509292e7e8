import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobQueue } from './job-queue.service';
import type { OutboxJob } from './outbox';

/**
 * The common step of every reconciliation sweep (jobs.md): given the jobs
 * that should exist by now, put back on the queue those whose event was not
 * delivered yet. A job's id is its notification's event key, so "delivered"
 * is one lookup, and a job that is still on the queue is not doubled.
 */
@Injectable()
export class Rescheduler {
  constructor(
    private readonly db: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  async restore(points: (OutboxJob & { runAt: Date })[]): Promise<number> {
    if (points.length === 0) return 0;
    const rows = (await this.db.query(
      `SELECT DISTINCT event_key FROM notifications WHERE event_key = ANY($1::text[])`,
      [points.map((p) => p.jobId)],
    )) as { event_key: string }[];
    const delivered = new Set(rows.map((r) => r.event_key));
    const missing = points.filter((p) => !delivered.has(p.jobId));
    const now = Date.now();
    await Promise.all(
      missing.map((p) =>
        this.jobs.add(p.job, p.payload, { jobId: p.jobId, delay: Math.max(0, p.runAt.getTime() - now) }),
      ),
    );
    return missing.length;
  }
}
