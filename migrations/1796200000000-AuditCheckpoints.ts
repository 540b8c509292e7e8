import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed checkpoints of the audit chain (issue 11, item 8). The sealing job
 * signs the chain head (sequence number and hash) with AUDIT_ANCHOR_KEY,
 * which the database never holds, and writes the signature here and to the
 * log; verify checks the chain against the newest one, so deleting the
 * newest entries or re-chaining forged history is reported. Append-only like
 * the log itself.
 */
export class AuditCheckpoints1796200000000 implements MigrationInterface {
  name = 'AuditCheckpoints1796200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_checkpoints (
        id bigserial PRIMARY KEY,
        seq bigint NOT NULL,
        hash text NOT NULL,
        signature text NOT NULL,
        signed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE FUNCTION audit_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_checkpoints is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_checkpoints`);
    await q.query(`DROP FUNCTION audit_checkpoints_append_only()`);
  }
}
