import { intakeBody, openCase } from '../support/cases';
import { call, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Reads and answers that were not recorded (issue 11, item 9). */
describe('audit gaps', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
  });
  afterAll(async () => t?.close());

  const entries = async (where: string, params: unknown[]) =>
    (await t.db.query(
      `SELECT actor_id, action, entity_type, entity_id, district_id, summary FROM audit_events WHERE ${where} ORDER BY id`,
      params,
    )) as {
      actor_id: string;
      action: string;
      entity_type: string;
      entity_id: string;
      summary: Record<string, unknown>;
    }[];

  it('records each consultation a case read returns (one entry naming them)', async () => {
    const { case: c, consultation } = await openCase(t, w.counselorA);
    const second = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/cases/${c.id}/consultations`,
      payload: intakeBody().consultation,
    });
    expect(second.statusCode).toBe(201);
    const res = await call(t, w.counselorA, {
      method: 'GET',
      url: `/api/v1/cases/${c.id}`,
      headers: { 'x-request-id': 'gap-case-read' },
    });
    expect(res.json().recentConsultations).toHaveLength(2);
    const rows = await entries(`request_id = 'gap-case-read'`, []);
    // One entry for the case, one for the consultations it carried (not one per consultation: issue 16).
    expect(rows.map((r) => [r.action, r.entity_type, r.entity_id, r.summary.via])).toEqual([
      ['read', 'case', c.id, undefined],
      ['read', 'consultation', null, 'case'],
    ]);
    expect((rows[1].summary.ids as string[]).sort()).toEqual([consultation.id, second.json().id].sort());
  });

  it('records a token refresh', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: w.staff.refreshToken },
      headers: { 'x-request-id': 'gap-refresh' },
    });
    expect(res.statusCode).toBe(200);
    expect(await entries(`request_id = 'gap-refresh'`, [])).toEqual([
      expect.objectContaining({ actor_id: w.staff.id, action: 'refresh', entity_type: 'user', entity_id: w.staff.id }),
    ]);
  });

  it('records reads of the audit log itself', async () => {
    const res = await call(t, w.admin, {
      method: 'GET',
      url: `/api/v1/audit-events?entityType=case&limit=5`,
      headers: { 'x-request-id': 'gap-audit-read' },
    });
    expect(res.statusCode).toBe(200);
    expect(await entries(`request_id = 'gap-audit-read'`, [])).toEqual([
      expect.objectContaining({
        actor_id: w.admin.id,
        action: 'list',
        entity_type: 'audit_event',
        summary: expect.objectContaining({ filters: { entityType: 'case', limit: 5 }, returned: expect.any(Number) }),
      }),
    ]);
    const verify = await call(t, w.admin, {
      method: 'GET',
      url: `/api/v1/audit-events/verify`,
      headers: { 'x-request-id': 'gap-audit-verify' },
    });
    expect(verify.statusCode).toBe(200);
    expect(await entries(`request_id = 'gap-audit-verify'`, [])).toEqual([
      expect.objectContaining({ actor_id: w.admin.id, action: 'read', entity_type: 'audit_chain' }),
    ]);
  });

  it('records a duplicate-check answer, naming the cases it showed, though the intake was refused', async () => {
    const subject = { familyNameKana: 'スズキ', givenNameKana: 'ジロウ', birthDate: '2016-03-03' };
    const { case: c } = await openCase(t, w.counselorA, { subject });
    const res = await call(t, w.counselorB, {
      method: 'POST',
      url: '/api/v1/intakes',
      payload: intakeBody({ subject }),
      headers: { 'x-request-id': 'gap-duplicate' },
    });
    expect(res.statusCode).toBe(409);
    expect(await entries(`request_id = 'gap-duplicate'`, [])).toEqual([
      expect.objectContaining({
        actor_id: w.counselorB.id,
        action: 'read',
        entity_type: 'case',
        entity_id: c.id,
        // counselorB cannot read counselorA's case: it was shown as a match token (issue 11, item 1).
        summary: { via: 'duplicate_check', shown: 'match_token' },
      }),
    ]);
  });
});
