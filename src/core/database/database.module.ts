import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { databaseOptions } from './database-options';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...databaseOptions(config.DATABASE_URL, { migrationsRun: config.MIGRATIONS_RUN }),
        // Fail fast at boot rather than retrying for minutes; the orchestrator restarts us.
        retryAttempts: config.isProduction ? 10 : 2,
        retryDelay: 1_000,
      }),
    }),
  ],
})
export class DatabaseModule {}
