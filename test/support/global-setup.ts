import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/core/database/database-options';
import { TEMPLATE_DATABASE, TEST_DATABASE_URL, databaseUrl } from './env';

/**
 * Migrates a template database once per run; every test file clones it
 * (CREATE DATABASE ... TEMPLATE), which takes a fraction of a second.
 */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    // Leftovers of an interrupted earlier run.
    const stale = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'tsunagu_t\\_%' OR datname = $1`,
      [TEMPLATE_DATABASE],
    );
    for (const { datname } of stale.rows) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  } finally {
    await admin.end();
  }
  const template = new DataSource(databaseOptions(databaseUrl(TEMPLATE_DATABASE)));
  await template.initialize();
  try {
    await template.runMigrations({ transaction: 'each' });
  } finally {
    await template.destroy();
  }
}
