import { Client } from 'pg';
import { AuditChain } from '../../src/audit/audit-chain';
import { AuditSealer } from '../../src/audit/audit-seal.jobs';
import { databaseUrl } from '../support/env';
import { createWorld, login } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The database owner can switch the append-only trigger off (issue 11,
 * item 8). Signed checkpoints, whose key the database never holds, still
 * tell a shortened or re-chained log.
 */
describe('audit chain anchored outside the database', () => {
  let t: TestApp;
  let chain: AuditChain;
  let sealer: AuditSealer;
  let owner: Client;
  beforeEach(async () => {
    t = await startTestApp();
    await createWorld(t);
    chain = t.app.get(AuditChain);
    sealer = t.app.get(AuditSealer);
    // The owner of the tables (what the migrations run as), not the service.
    owner = new Client({ connectionString: databaseUrl(t.database.name) });
    await owner.connect();
    await sealer.sealPending();
    expect(await sealer.checkpoint()).toBeNull(); // sealing has just signed the head
  });
  afterEach(async () => {
    await owner?.end();
    await t?.close();
  });

  const asOwnerWithoutTrigger = async (sql: string, params: unknown[] = []) => {
    await owner.query('BEGIN');
    await owner.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    await owner.query(sql, params);
    await owner.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
    await owner.query('COMMIT');
  };

  it('signs the chain head and verifies against it', async () => {
    const report = await chain.verify();
    expect(report).toMatchObject({ valid: true, firstBroken: null, checkpoint: { seq: String(report.sealed) } });
    const [row] = (await owner.query('SELECT seq::text AS seq, hash, signature FROM audit_checkpoints')).rows;
    expect(row.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(row.seq).toBe(String(report.sealed));
  });

  it('reports the newest entries deleted with the trigger off', async () => {
    const [{ max }] = (await owner.query('SELECT max(seq)::text AS max FROM audit_events')).rows;
    await asOwnerWithoutTrigger('DELETE FROM audit_events WHERE seq >= $1', [Number(max) - 1]);
    const report = await chain.verify();
    expect(report.valid).toBe(false);
    expect(report.firstBroken).toEqual({ seq: max, id: null, reason: 'truncated' });
  });

  it('reports history re-chained by the sealing job after the chain columns were nulled', async () => {
    const [{ max }] = (await owner.query('SELECT max(seq)::text AS max FROM audit_events')).rows;
    await asOwnerWithoutTrigger(
      `UPDATE audit_events SET seq = NULL, prev_hash = NULL, hash = NULL, sealed_at = NULL,
              summary = '{"forged": true}' WHERE seq >= $1`,
      [Number(max) - 2],
    );
    await sealer.sealPending();
    const report = await chain.verify();
    expect(report.valid).toBe(false);
    expect(report.firstBroken).toMatchObject({ seq: max, reason: 'checkpoint_mismatch' });
  });

  it('reports a checkpoint the database owner wrote without the key', async () => {
    await login(t, 'staff1');
    await sealer.sealPending();
    const [{ seq, hash }] = (
      await owner.query('SELECT seq::text AS seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1')
    ).rows;
    await owner.query('INSERT INTO audit_checkpoints (seq, hash, signature) VALUES ($1, $2, $3)', [
      seq,
      hash,
      'ab'.repeat(32),
    ]);
    const report = await chain.verify();
    expect(report.firstBroken).toEqual({ seq, id: null, reason: 'checkpoint_forged' });
  });

  it('keeps checkpoints append-only, even to their owner', async () => {
    await expect(owner.query('DELETE FROM audit_checkpoints')).rejects.toThrow(/append-only/);
    await expect(owner.query(`UPDATE audit_checkpoints SET seq = 1`)).rejects.toThrow(/append-only/);
    await expect(owner.query('TRUNCATE audit_checkpoints')).rejects.toThrow(/append-only/);
  });

  it('runs the service as a role that owns nothing: it cannot switch the trigger off or delete entries', async () => {
    const [{ current_user: role }] = await t.db.query('SELECT current_user');
    expect(role).not.toBe((await owner.query('SELECT current_user')).rows[0].current_user);
    const [{ owns }] = await t.db.query(
      `SELECT count(*)::int AS owns FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user`,
    );
    expect(owns).toBe(0);
    await expect(t.db.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only')).rejects.toThrow(
      /must be owner/,
    );
    await expect(t.db.query('ALTER TABLE audit_events DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner/);
    await expect(t.db.transaction((m) => m.query('SET LOCAL session_replication_role = replica'))).rejects.toThrow(
      /permission denied/,
    );
    await expect(t.db.query('DELETE FROM audit_events')).rejects.toThrow(/permission denied/);
    await expect(t.db.query('TRUNCATE audit_events')).rejects.toThrow(/permission denied/);
    await expect(t.db.query('DELETE FROM audit_checkpoints')).rejects.toThrow(/permission denied/);
    await expect(t.db.query(`DELETE FROM schema_migrations`)).rejects.toThrow(/permission denied/);
    // It still does its work: writes entries and seals them.
    await login(t, 'staff1');
    expect(await sealer.sealPending()).toBeGreaterThan(0);
  });
});
