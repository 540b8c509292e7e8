import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scope comes from memberships and supervisions open right now (access.md).
 * One definition of "current" for every query that needs it; PostgreSQL
 * inlines these views, so the indexes on the tables still serve.
 */
export class CurrentScope1795800000000 implements MigrationInterface {
  name = 'CurrentScope1795800000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['district_members', 'district_supervisors']) {
      await q.query(`
        CREATE VIEW current_${table} AS
        SELECT * FROM ${table} WHERE valid_from <= now() AND (valid_to IS NULL OR valid_to > now())`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW current_district_supervisors`);
    await q.query(`DROP VIEW current_district_members`);
  }
}
