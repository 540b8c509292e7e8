import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createApp } from './app';
import { AuditLog } from './audit/audit.service';
import { ConfigError, loadConfig } from './core/config/app-config';
import { LifecycleLog } from './core/logging/lifecycle-log';
import { LocalEnvironment, LocalSetupError, prepareLocalEnvironment } from './core/local/local-environment';
import { DEMO_LOGIN_HINT, loadDemoData } from './demo/demo-data';
import { UsersService } from './directory/users.service';

/**
 * The API process. On a developer's machine with nothing configured it
 * starts an embedded PostgreSQL and a local Redis first (README, "Start").
 */
async function main(): Promise<void> {
  const local = await prepareLocalEnvironment(process.env);
  const config = loadConfig(process.env);
  const app = await createApp(config);
  const demoLines = config.DEMO_DATA ? await demoData(app, local) : [];
  await app.listen({ port: config.PORT, host: config.HOST });
  await app.get(LifecycleLog).started('api', `${config.HOST}:${config.PORT}`);

  const base = `http://localhost:${config.PORT}`;
  const lines = [
    '',
    `Tsunagu is running (${config.NODE_ENV}, worker ${config.WORKER_MODE})`,
    `  Console        ${base}/`,
    `  API            ${base}/api/v1`,
    ...(config.API_DOCS ? [`  API docs       ${base}/docs`] : []),
    ...(config.METRICS_TOKEN ? [`  Metrics        ${base}/metrics (Bearer METRICS_TOKEN)`] : []),
    `  Queue board    ${base}/admin/queues (admin only)`,
    `  Health         ${base}/health/ready`,
    ...local.notes.map((note) => `  Local          ${note}`),
  ];
  lines.push(...demoLines);
  console.log(lines.join('\n') + '\n');
}

/**
 * DEMO_DATA: load the demo districts, organizations and users (idempotent)
 * before the API listens. The shared demo password is printed only on a
 * local start, never in a deployment's logs.
 */
async function demoData(app: NestFastifyApplication, local: LocalEnvironment): Promise<string[]> {
  const { created } = await loadDemoData(app.get(DataSource), app.get(UsersService), app.get(AuditLog));
  const status = `  Demo data      ${created ? 'loaded' : 'already present'}`;
  if (local.local) return [status, ...DEMO_LOGIN_HINT];
  return [`${status} (DEMO_DATA=true: the demo accounts share a published password; never use them for real data)`];
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof LocalSetupError) {
    console.error(error.message);
  } else {
    console.error('Tsunagu failed to start:', error);
  }
  process.exit(1);
});
