import { DataSource } from 'typeorm';
import { AuditChain } from '../../src/audit/audit-chain';
import { AuditSealer } from '../../src/audit/audit-seal.jobs';
import { call, createWorld, login, World } from '../support/fixtures';
import { ownerDataSource, startTestApp, TestApp } from '../support/test-app';

describe('audit log: append-only, sealed into a hash chain', () => {
  let t: TestApp;
  let w: World;
  let chain: AuditChain;
  let sealer: AuditSealer;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    chain = t.app.get(AuditChain);
    sealer = t.app.get(AuditSealer);
  });
  afterAll(async () => t?.close());
  const afterThis: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const done of afterThis.splice(0)) await done();
  });

  /**
   * A connection that bypasses triggers, as the database owner could (the
   * service's own role cannot: test/audit/audit-anchor.test.ts).
   */
  async function asIntruder<T>(work: (db: DataSource) => Promise<T>): Promise<T> {
    const owner = await ownerDataSource(t);
    try {
      return await owner.transaction(async (m) => {
        await m.query(`SET LOCAL session_replication_role = replica`);
        return work(m as unknown as DataSource);
      });
    } finally {
      await owner.destroy();
    }
  }

  it('seals every entry in order, and the chain verifies', async () => {
    await login(t, 'staff1', 'wrong-password-here');
    const sealed = await sealer.sealPending();
    expect(sealed).toBeGreaterThanOrEqual(9); // the world's eight logins and a failed one
    expect(await sealer.sealPending()).toBe(0);
    const report = await chain.verify();
    expect(report).toEqual({
      valid: true,
      sealed,
      unsealed: 0,
      firstBroken: null,
      checkpoint: { seq: String(sealed), signedAt: expect.any(Date) },
    });
    const [gaps] = await t.db.query(`SELECT max(seq) - min(seq) + 1 - count(*) AS gaps FROM audit_events`);
    expect(Number(gaps.gaps)).toBe(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the table, even to its owner', async () => {
    const owner = await ownerDataSource(t);
    afterThis.push(() => owner.destroy());
    await expect(
      owner.query(`UPDATE audit_events SET action = 'read' WHERE id = (SELECT min(id) FROM audit_events)`),
    ).rejects.toThrow(/append-only/);
    await expect(owner.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
    // A sealed row cannot be sealed again with other values either.
    await expect(owner.query(`UPDATE audit_events SET hash = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only/);
  });

  it('names the first broken link when a row is altered by hand', async () => {
    await call(t, w.admin, { method: 'GET', url: '/api/v1/users' });
    await login(t, 'lead_a');
    await sealer.sealPending();
    const [victim] = await t.db.query(
      `SELECT id::text, seq::text FROM audit_events WHERE action = 'login' ORDER BY seq DESC LIMIT 1 OFFSET 2`,
    );
    await asIntruder((db) =>
      db.query(`UPDATE audit_events SET summary = '{"innocent": true}' WHERE id = $1`, [victim.id]),
    );
    const report = await chain.verify();
    expect(report.valid).toBe(false);
    expect(report.firstBroken).toEqual({ seq: victim.seq, id: victim.id, reason: 'hash_mismatch' });
    const http = await call(t, w.admin, { method: 'GET', url: '/api/v1/audit-events/verify' });
    expect(http.json()).toMatchObject({ valid: false, firstBroken: { seq: victim.seq } });
  });

  it('writes an entry only when the change it records commits', async () => {
    const before = await t.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE entity_type = 'user' AND action = 'create'`,
    );
    const dup = await call(t, w.admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: 'staff1', displayName: 'Dup', roles: ['staff'] },
    });
    expect(dup.statusCode).toBe(409);
    const after = await t.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE entity_type = 'user' AND action = 'create'`,
    );
    expect(after[0].n).toBe(before[0].n);
  });

  it('records who, what, from where and under which request, with field names but no values', async () => {
    const target = w.counselorB;
    const { version } = (await call(t, w.admin, { method: 'GET', url: `/api/v1/users/${target.id}` })).json();
    await call(t, w.admin, {
      method: 'PATCH',
      url: `/api/v1/users/${target.id}`,
      headers: { 'if-match': `"${version}"`, 'x-request-id': 'req-audit-1' },
      payload: { displayName: '山田 花子', email: 'hanako@example.jp' },
    });
    const [entry] = await t.db.query(`SELECT * FROM audit_events WHERE request_id = 'req-audit-1'`);
    expect(entry).toMatchObject({
      actor_id: w.admin.id,
      action: 'update',
      entity_type: 'user',
      entity_id: target.id,
      client_ip: expect.any(String),
      summary: { fields: ['displayName', 'email'] },
    });
    expect(JSON.stringify(entry)).not.toMatch(/山田|hanako/);
  });
});

// Its own application: passport strategies are process-wide, so test files
// run one application at a time.
describe('a deleted row', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('detects a deleted row as a gap in the chain', async () => {
    t = await startTestApp();
    await createWorld(t);
    const chain = t.app.get(AuditChain);
    const sealer = t.app.get(AuditSealer);
    await sealer.sealPending();
    const [victim] = await t.db.query(`SELECT a.seq::text AS seq FROM audit_events a ORDER BY a.seq LIMIT 1 OFFSET 3`);
    const owner = await ownerDataSource(t);
    await owner.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(`DELETE FROM audit_events WHERE seq = $1`, [victim.seq]);
    });
    await owner.destroy();
    const report = await chain.verify();
    expect(report.valid).toBe(false);
    expect(report.firstBroken).toMatchObject({ reason: 'sequence_gap', seq: String(Number(victim.seq) + 1) });
  });
});

describe('the sealing job runs on the queue', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('seals new entries a few seconds behind, with the worker embedded in the API', async () => {
    t = await startTestApp({ WORKER_MODE: 'embedded' });
    await t.db.query(`INSERT INTO audit_events (action, entity_type) VALUES ('read', 'probe')`);
    const deadline = Date.now() + 15_000;
    let sealed = false;
    while (!sealed && Date.now() < deadline) {
      const [row] = await t.db.query(`SELECT seq FROM audit_events WHERE entity_type = 'probe'`);
      sealed = row.seq !== null;
      if (!sealed) await new Promise((r) => setTimeout(r, 250));
    }
    expect(sealed).toBe(true);
    expect((await t.app.get(AuditChain).verify()).valid).toBe(true);
  });
});
