import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../http/public';
import { RedisClient } from '../redis/redis.module';
import { JobQueue } from '../queue/job-queue.service';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisClient,
    private readonly jobs: JobQueue,
  ) {}

  /** The process is up and its event loop answers. */
  @Public()
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Ready to serve: PostgreSQL and Redis each answer; failed jobs are counted. */
  @Public()
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database').withTimeout(1_500),
      () =>
        this.indicators
          .check('redis')
          .attempt(async () => {
            await this.redis.ping();
          })
          .withTimeout(1_500),
      () =>
        this.indicators
          .check('queues')
          .attempt(async () => {
            const failed: Record<string, number> = {};
            for (const queue of this.jobs.all()) failed[queue.name] = await queue.getFailedCount();
            return { failedJobs: failed };
          })
          .withTimeout(1_500),
    ]);
  }
}
