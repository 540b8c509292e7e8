import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { databaseOptions } from './database-options';
import { migrate } from './runtime-role';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        // Migrations run as the owner, before the service connects as the runtime role.
        if (config.MIGRATIONS_RUN) await migrate(config.migrationDatabaseUrl, config.DATABASE_URL);
        return {
          ...databaseOptions(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE }),
          // Fail fast at boot rather than retrying for minutes; the orchestrator restarts us.
          retryAttempts: config.isProduction ? 10 : 2,
          retryDelay: 1_000,
        };
      },
    }),
  ],
})
export class DatabaseModule {}
