import { Controller, Get, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../http/public';
import { RedisClient } from '../redis/redis.module';
import { JobQueue } from '../queue/job-queue.service';
import { discoveredMethods } from '../discovered-methods';
import { READINESS_DETAIL, ReadinessSource } from './readiness-detail';

@ApiTags('operations')
@Controller('health')
export class HealthController implements OnModuleInit {
  private details = new Map<string, ReadinessSource[]>();

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisClient,
    private readonly jobs: JobQueue,
    readonly discovery: DiscoveryService,
    readonly scanner: MetadataScanner,
    readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    this.details = discoveredMethods<ReadinessSource>(this, READINESS_DETAIL);
  }

  /** The process is up and its event loop answers. */
  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * Ready to serve: PostgreSQL and Redis each answer; failed jobs are
   * counted, and the details feature modules add (@ReadinessDetail).
   */
  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis answer; failed jobs counted' })
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
      ...[...this.details].flatMap(([name, sources]) =>
        sources.map((source) => () => this.indicators.check(name).attempt(source).withTimeout(1_500)),
      ),
    ]);
  }
}
