import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';

/** What the start line says about the build: the package's version, and the commit when known. */
export function buildInfo(): { version: string; commit: string | null } {
  // Found by walking up: this file runs from src/ (tests) and from dist/src/ (npm start).
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  // GIT_COMMIT from the image build (Dockerfile ARG), else the checkout's HEAD, else unknown.
  const fromGit = () => {
    const r = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', timeout: 2_000 });
    return r.status === 0 ? r.stdout.trim() : null;
  };
  return { version: pkg.version, commit: process.env.GIT_COMMIT || fromGit() };
}

/**
 * One log line when the process starts serving and one as it stops, so an
 * operator sees what runs (version, commit, migrations, address, worker) and
 * when it went away (README, "Logs").
 */
@Injectable()
export class LifecycleLog implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Tsunagu');

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  async started(what: 'api' | 'worker', listen?: string): Promise<void> {
    const [migrations] = (await this.db.query(
      `SELECT (SELECT count(*)::int FROM schema_migrations) AS applied,
              (SELECT name FROM schema_migrations ORDER BY timestamp DESC LIMIT 1) AS latest`,
    )) as { applied: number; latest: string | null }[];
    this.logger.log(
      {
        ...buildInfo(),
        process: what,
        ...(listen ? { listen } : {}),
        workerMode: what === 'api' ? this.config.WORKER_MODE : 'worker',
        migrations,
        nodeEnv: this.config.NODE_ENV,
      },
      `Tsunagu ${what} started`,
    );
  }

  beforeApplicationShutdown(signal?: string): void {
    this.logger.log({ signal: signal ?? null }, 'Tsunagu stopping');
  }

  onApplicationShutdown(): void {
    this.logger.log('Tsunagu stopped');
  }
}
