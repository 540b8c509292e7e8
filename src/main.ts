import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig } from './core/config/app-config';
import { LocalSetupError, prepareLocalEnvironment } from './core/local/local-environment';

/**
 * The API process. On a developer's machine with nothing configured it
 * starts an embedded PostgreSQL and a local Redis first (README, "Start").
 */
async function main(): Promise<void> {
  const local = await prepareLocalEnvironment(process.env);
  const config = loadConfig(process.env);
  const app = await createApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });

  const base = `http://localhost:${config.PORT}`;
  const lines = [
    '',
    `Tsunagu is running (${config.NODE_ENV}, worker ${config.WORKER_MODE})`,
    `  API            ${base}/api/v1`,
    `  API docs       ${base}/docs`,
    `  Queue board    ${base}/admin/queues (admin only)`,
    `  Health         ${base}/health/ready`,
    ...local.notes.map((note) => `  Local          ${note}`),
  ];
  if (local.local && config.DEMO_DATA) lines.push(...demoLoginLines());
  console.log(lines.join('\n') + '\n');
}

function demoLoginLines(): string[] {
  return [];
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof LocalSetupError) {
    console.error(error.message);
  } else {
    console.error('Tsunagu failed to start:', error);
  }
  process.exit(1);
});
