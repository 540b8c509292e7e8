import { DynamicModule, Module, Type } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CasesModule } from './cases/cases.module';
import { AppConfig } from './core/config/app-config';
import { DirectoryModule } from './directory/directory.module';
import { HouseholdsModule } from './households/households.module';
import { CaseRecordModule } from './record/record.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PlansModule } from './plans/plans.module';
import { ReferralsModule } from './referrals/referrals.module';
import { StatsModule } from './stats/stats.module';
import { TasksModule } from './tasks/tasks.module';
import { ConfigModule } from './core/config/config.module';
import { DatabaseModule } from './core/database/database.module';
import { EventsModule } from './core/events/events.module';
import { HealthModule } from './core/health/health.module';
import { LoggingModule } from './core/logging/logging.module';
import { MetricsEndpointModule, MetricsModule } from './core/metrics/metrics.module';
import { QueueModule } from './core/queue/queue.module';
import { WorkerModule } from './core/queue/worker.module';
import { RedisModule } from './core/redis/redis.module';

/** The domain modules, shared by the API and the worker. */
const DOMAIN_MODULES: Type[] = [
  AccessModule,
  AuditModule,
  AuthModule,
  DirectoryModule,
  NotificationsModule,
  CasesModule,
  HouseholdsModule,
  TasksModule,
  ReferralsModule,
  CaseRecordModule,
  PlansModule,
  StatsModule,
];

@Module({})
export class AppModule {
  /**
   * The API process. With WORKER_MODE=embedded it also runs the queue
   * worker, so one process is enough on a single machine (jobs.md).
   */
  static forApi(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...AppModule.core(config),
        HealthModule,
        MetricsEndpointModule,
        ...(config.runsWorker ? [WorkerModule] : []),
      ],
    };
  }

  /** The worker process: the same domain modules, no HTTP. */
  static forWorker(config: AppConfig): DynamicModule {
    return { module: AppModule, imports: [...AppModule.core(config), WorkerModule] };
  }

  private static core(config: AppConfig) {
    return [
      ConfigModule.forRoot(config),
      LoggingModule,
      DatabaseModule,
      RedisModule,
      QueueModule,
      MetricsModule,
      EventsModule,
      ...DOMAIN_MODULES,
    ];
  }
}
