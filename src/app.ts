import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { mountQueueDashboard } from './auth/queue-dashboard';
import { AppModule } from './app.module';
import { AppConfig } from './core/config/app-config';
import { configureApp, createFastifyAdapter } from './core/http/configure-app';
import { mountWebConsole } from './core/http/web-console';
import { QuietStartLogger } from './core/logging/quiet-start-logger';

/**
 * Builds the API application; main.ts listens on it, tests inject into it
 * (`extraModules` lets a test mount a probe controller beside the real ones).
 */
export async function createApp(config: AppConfig, extraModules: Type[] = []): Promise<NestFastifyApplication> {
  const root = AppModule.forApi(config);
  root.imports = [...(root.imports ?? []), ...extraModules];
  const app = await NestFactory.create<NestFastifyApplication>(root, createFastifyAdapter(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(new QuietStartLogger(app.get(Logger)));
  await configureApp(app, config);
  await mountQueueDashboard(app);
  await mountWebConsole(app.getHttpAdapter().getInstance(), { idleMinutes: config.CONSOLE_IDLE_MINUTES });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
