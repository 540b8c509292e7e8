import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A completed safety check keeps what was found: when and where the child was
 * seen, by whom, how (directly or otherwise) and the result (issue 10).
 */
export class SafetyCheckOutcome1796100000000 implements MigrationInterface {
  name = 'SafetyCheckOutcome1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN outcome jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks DROP COLUMN outcome`);
  }
}
