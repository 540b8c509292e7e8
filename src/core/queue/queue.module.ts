import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ALL_QUEUES } from './jobs';
import { JobQueue } from './job-queue.service';
import { Outbox, OutboxRelay } from './outbox';

export function redisConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: redisConnection(config.REDIS_URL),
        prefix: `${config.REDIS_PREFIX}:bull`,
        defaultJobOptions: {
          attempts: config.JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
          removeOnComplete: { age: 24 * 3600, count: 5_000 },
          // Failed jobs stay for inspection in the dashboard (jobs.md, "Retries").
          removeOnFail: false,
        },
      }),
    }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  providers: [JobQueue, Outbox, OutboxRelay],
  exports: [JobQueue, Outbox, OutboxRelay, BullModule],
})
export class QueueModule {}
