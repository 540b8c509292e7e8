import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One safety check per notification (issue 10): a second abuse report while
 * a check is open is recorded on it instead of starting a second clock. Each
 * check lists the reports it answers; existing checks get the one that made
 * them (named in their origin key), received 48 hours before their due time.
 */
export class SafetyCheckReports1796100100000 implements MigrationInterface {
  name = 'SafetyCheckReports1796100100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN reports jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`
      UPDATE tasks SET reports = jsonb_build_array(jsonb_build_object(
          'source', split_part(origin_key, ':', 2),
          'sourceId', split_part(origin_key, ':', 3),
          'receivedAt', to_char((due_at - interval '48 hours') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
       WHERE kind = 'safety_check' AND origin_key LIKE 'safety_check:%:%'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks DROP COLUMN reports`);
  }
}
