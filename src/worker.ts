import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig, ConfigError, loadConfig } from './core/config/app-config';
import { LifecycleLog } from './core/logging/lifecycle-log';
import { QuietStartLogger } from './core/logging/quiet-start-logger';

/**
 * The worker process (jobs.md, "Processes"): runs the queue handlers, serves
 * no HTTP. Scale it separately from the API; all share one PostgreSQL and one
 * Redis.
 */
export async function startWorker(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(AppModule.forWorker(config), { bufferLogs: true });
  app.useLogger(new QuietStartLogger(app.get(Logger)));
  // SIGTERM: stop taking jobs, finish the ones in hand, then exit.
  app.enableShutdownHooks();
  await app.init();
  await app.get(LifecycleLog).started('worker');
  return app;
}

if (require.main === module) {
  startWorker(loadConfig(process.env)).catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  });
}
