import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate } from '../../src/core/database/runtime-role';
import { databaseUrl, TEST_DATABASE_URL, TEST_RUNTIME_ROLE, templateDatabase } from './env';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Migrates a template database once per run; every test file clones it
 * (CREATE DATABASE ... TEMPLATE), which takes a fraction of a second.
 */
export default async function globalSetup(): Promise<void> {
  // The web console's build, when missing or stale: the serving and browser tests load it (test/web).
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-if-needed.js'), '--web'], {
    stdio: 'inherit',
  });
  const runId = String(process.pid);
  process.env.TSUNAGU_TEST_RUN = runId; // inherited by the Jest workers
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    // Leftovers of interrupted earlier runs, whose process is gone.
    const stale = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname ~ '^tsunagu_(tpl|t)_[0-9]+'`,
    );
    for (const { datname } of stale.rows) {
      const pid = Number(/^tsunagu_(?:tpl|t)_(\d+)/.exec(datname)?.[1]);
      if (!alive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE "${templateDatabase(runId)}"`);
    // The service's role, shared by every run on this server (roles are per server).
    await admin
      .query(
        `DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${TEST_RUNTIME_ROLE}') THEN
             CREATE ROLE "${TEST_RUNTIME_ROLE}" LOGIN;
           END IF;
         END $$`,
      )
      .catch((error: { code?: string }) => {
        if (error.code !== '23505' && error.code !== '42710') throw error; // another run created it meanwhile
      });
  } finally {
    await admin.end();
  }
  // Migrated as the owner; the runtime role gets its grants, which every clone keeps.
  const template = templateDatabase(runId);
  await migrate(databaseUrl(template), databaseUrl(template, { runtime: true }));
}
