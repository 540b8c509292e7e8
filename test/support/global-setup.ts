import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/core/database/database-options';
import { databaseUrl, TEST_DATABASE_URL, templateDatabase } from './env';

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
  } finally {
    await admin.end();
  }
  const template = new DataSource(databaseOptions(databaseUrl(templateDatabase(runId))));
  await template.initialize();
  try {
    await template.runMigrations({ transaction: 'each' });
  } finally {
    await template.destroy();
  }
}
