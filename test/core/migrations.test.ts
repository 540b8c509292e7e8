import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';
import { createTestDatabase } from '../support/test-app';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/core/database/database-options';

describe('migrations', () => {
  it('lists every migration file in migrations/index.ts, in order', () => {
    const files = readdirSync(join(__dirname, '../../migrations'))
      .filter((f) => /^\d+-\w+\.ts$/.test(f))
      .sort();
    const names = MIGRATIONS.map((m) => (m as { name: string }).name);
    expect(names).toEqual(files.map((f) => f.replace(/^(\d+)-(\w+)\.ts$/, '$2$1')));
  });

  it('reverts down to nothing and applies again', async () => {
    const database = await createTestDatabase();
    const ds = new DataSource(databaseOptions(database.url));
    await ds.initialize();
    try {
      for (let i = 0; i < MIGRATIONS.length; i += 1) await ds.undoLastMigration({ transaction: 'each' });
      const client = new Client({ connectionString: database.url });
      await client.connect();
      const tables = await client.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`,
      );
      await client.end();
      expect(tables.rows).toEqual([]);
      expect((await ds.runMigrations({ transaction: 'each' })).length).toBe(MIGRATIONS.length);
    } finally {
      await ds.destroy();
      await database.drop();
    }
  });
});
