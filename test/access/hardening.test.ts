import { intakeBody, openCase, setCase } from '../support/cases';
import { call, createOrganization, createUser, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Holes a review of the whole change found (the reviewer reproduced each before it was fixed). */
describe('hardening', () => {
  let t: TestApp;
  let w: World;
  let org: string;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    org = await createOrganization(t, w.admin, { name: '中央警察署', type: 'police', councilMember: true });
  });
  afterAll(async () => t?.close());

  // A read of one record names it in entity_id; a list read is one entry naming every id it returned (summary.ids).
  const auditCount = async (entityId: string) =>
    (
      await t.db.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'read' AND (entity_id = $1 OR summary->'ids' ? $1)`,
        [entityId],
      )
    )[0].n as number;

  it('an intake repeated with its Idempotency-Key after the counselor lost sight of the case is a 404, not the stored case', async () => {
    const body = intakeBody();
    const first = await call(t, w.counselorA, {
      method: 'POST',
      url: '/api/v1/intakes',
      payload: body,
      headers: { 'idempotency-key': 'lost-sight-1' },
    });
    expect(first.statusCode).toBe(201);
    const id = first.json().case.id;
    const replay = await call(t, w.counselorA, {
      method: 'POST',
      url: '/api/v1/intakes',
      payload: body,
      headers: { 'idempotency-key': 'lost-sight-1' },
    });
    expect(replay.statusCode).toBe(201);
    expect(await auditCount(id)).toBeGreaterThanOrEqual(1); // the repeat is audited as a read
    await setCase(t, id, { district_id: w.districtB, primary_counselor_id: w.counselorB.id });
    const after = await call(t, w.counselorA, {
      method: 'POST',
      url: '/api/v1/intakes',
      payload: body,
      headers: { 'idempotency-key': 'lost-sight-1' },
    });
    expect(after.statusCode).toBe(404);
    expect(after.body).not.toMatch(/花子|summary|household/);
    const stored = await t.db.query(`SELECT response FROM idempotency_keys WHERE key = 'lost-sight-1'`);
    expect(JSON.stringify(stored)).not.toMatch(/田中|花子|登校/);
  });

  it('a supervisor recording a call about a child of another district gets the receipt only', async () => {
    const res = await call(t, w.supervisorA, {
      method: 'POST',
      url: '/api/v1/intakes',
      payload: intakeBody({ household: { address: '北町 9-9', members: [] } }),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      case: { id: expect.any(String), number: expect.any(String), status: 'intake', districtId: w.districtB },
      consultation: { id: expect.any(String), caseId: res.json().case.id },
    });
  });

  it('an incoming referral naming a case out of scope is a 404 and changes nothing', async () => {
    const { case: hidden } = await openCase(t, w.counselorB, { household: { address: '北町1-1', members: [] } });
    await setCase(t, hidden.id, { confidential: true });
    for (const user of [w.staff, w.counselorA, w.supervisorA]) {
      const res = await call(t, user, {
        method: 'POST',
        url: '/api/v1/referrals',
        payload: {
          caseId: hidden.id,
          direction: 'incoming',
          kind: 'notification',
          organizationId: org,
          reason: 'x',
          urgency: 'emergency',
          legalBasis: 'statutory',
          sharedInformation: 'x',
        },
      });
      expect(res.statusCode).toBe(404);
    }
    expect(await t.db.query(`SELECT has_referral FROM cases WHERE id = $1`, [hidden.id])).toEqual([
      { has_referral: false },
    ]);
    expect(await t.db.query(`SELECT 1 FROM tasks WHERE case_id = $1`, [hidden.id])).toEqual([]);
  });

  it('refuses null for fields that cannot be empty (400, not 500) and changes nothing', async () => {
    const { case: c } = await openCase(t, w.counselorA);
    const patch = (payload: object) =>
      call(t, w.supervisorA, {
        method: 'PATCH',
        url: `/api/v1/cases/${c.id}`,
        headers: { 'if-match': `"${c.version}"` },
        payload,
      });
    for (const payload of [
      { protection: null },
      { address: null },
      { subject: { familyName: null } },
      { confidential: null },
      { subject: { familyNameKana: null } },
    ]) {
      expect([JSON.stringify(payload), (await patch(payload)).statusCode]).toEqual([JSON.stringify(payload), 400]);
    }
    expect((await patch({ risk: null })).statusCode).toBe(200); // risk may be cleared
    const user = (await call(t, w.admin, { method: 'GET', url: `/api/v1/users/${w.staff.id}` })).json();
    expect(
      (
        await call(t, w.admin, {
          method: 'PATCH',
          url: `/api/v1/users/${w.staff.id}`,
          payload: { displayName: null, version: user.version },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await call(t, w.admin, {
          method: 'PATCH',
          url: `/api/v1/districts/${w.districtA}`,
          payload: { name: null, version: 1 },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await call(t, w.counselorA, {
          method: 'POST',
          url: '/api/v1/intakes',
          payload: { ...intakeBody(), caseId: null },
        })
      ).statusCode,
    ).toBe(400);
  });

  it('refuses forged cursors and week dates with 400', async () => {
    const forged = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
    for (const url of ['/api/v1/cases', '/api/v1/tasks', '/api/v1/referrals', '/api/v1/notifications']) {
      const res = await call(t, w.supervisorA, { method: 'GET', url: `${url}?cursor=${forged(['not-a-date', 'x'])}` });
      expect([url, res.statusCode]).toEqual([url, 400]);
    }
    expect(
      (await call(t, w.admin, { method: 'GET', url: `/api/v1/audit-events?cursor=${forged(['abc'])}` })).statusCode,
    ).toBe(400);
    expect((await call(t, w.admin, { method: 'GET', url: '/api/v1/audit-events?from=2026-W05' })).statusCode).toBe(400);
  });

  it('audits reads of tasks', async () => {
    const { case: c } = await openCase(t, w.counselorA);
    const task = (
      await call(t, w.counselorA, {
        method: 'POST',
        url: `/api/v1/cases/${c.id}/tasks`,
        payload: {
          kind: 'callback',
          title: '電話',
          dueAt: new Date(Date.now() + 86_400_000).toISOString(),
          assigneeId: w.counselorA.id,
        },
      })
    ).json();
    await call(t, w.counselorA, { method: 'GET', url: `/api/v1/tasks/${task.id}` });
    await call(t, w.counselorA, { method: 'GET', url: `/api/v1/tasks?caseId=${c.id}` });
    expect(await auditCount(task.id)).toBe(2);
  });

  it('the queue dashboard also waits for the initial password to be changed', async () => {
    const fresh = await createUser(t, 'new_admin', ['admin'], { mustChangePassword: true });
    const res = await call(t, fresh, { method: 'GET', url: '/admin/queues/api/queues' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('password_change_required');
  });
});

describe('the client address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => t?.close());

  it('the client cannot choose its address: X-Forwarded-For is not trusted by default', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'x-forwarded-for': `6.6.6.${i}` },
        payload: { username: 'nobody_at_all', password: 'wrong-password-x' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const [entry] = await t.db.query(
      `SELECT client_ip FROM audit_events WHERE action = 'login_failed' ORDER BY id DESC LIMIT 1`,
    );
    expect(entry.client_ip).not.toMatch(/^6\.6\.6\./);
  });
});
