import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { AppConfig } from '../../src/core/config/app-config';

/** Starts a real worker process on the test's database and Redis prefix. */
export async function spawnWorker(config: AppConfig, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'worker-child.ts')], {
    cwd: join(__dirname, '../..'),
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      REDIS_PREFIX: config.REDIS_PREFIX,
      JWT_SECRET: config.JWT_SECRET,
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'false',
      MIGRATIONS_RUN: 'false',
      WORKER_LOCK_MS: '2000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('worker did not start within 30 s')), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('worker-ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
  return child;
}

export function stopped(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

export async function waitFor<T>(
  check: () => Promise<T | false | null | undefined>,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
