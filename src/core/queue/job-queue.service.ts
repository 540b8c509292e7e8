import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { queueErrorLog } from './error-log';
import { JOB_QUEUE, JobName, JobPayloads, QueueName } from './jobs';

/**
 * Puts jobs on the right queue. Ids are deterministic where the caller gives
 * one (jobs.md), so sending the same job twice creates it once.
 */
@Injectable()
export class JobQueue {
  private readonly queues: Record<QueueName, Queue>;
  private readonly logger = new Logger('Queue');

  constructor(
    @InjectQueue(QueueName.Tasks) tasks: Queue,
    @InjectQueue(QueueName.Cases) cases: Queue,
    @InjectQueue(QueueName.Referrals) referrals: Queue,
    @InjectQueue(QueueName.Notifications) notifications: Queue,
    @InjectQueue(QueueName.Reports) reports: Queue,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
  ) {
    this.queues = { tasks, cases, referrals, notifications, reports, maintenance };
    // Connection errors (Redis away) through the logger, not as BullMQ's console dumps.
    for (const queue of this.all()) queue.on('error', queueErrorLog(this.logger, queue.name, 'queue'));
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  all(): Queue[] {
    return Object.values(this.queues);
  }

  async add<J extends JobName>(job: J, payload: JobPayloads[J], options: JobsOptions = {}): Promise<void> {
    await this.queues[JOB_QUEUE[job]].add(job, payload, options);
  }

  /** A repeatable job (BullMQ job scheduler); upserting it again is harmless. */
  async every<J extends JobName>(job: J, everyMs: number, payload: JobPayloads[J]): Promise<void> {
    await this.queues[JOB_QUEUE[job]].upsertJobScheduler(job, { every: everyMs }, { name: job, data: payload });
  }
}
