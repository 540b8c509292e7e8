import { CASE_ACTIONS, caseLifecycle, CaseAction } from '../../src/cases/case-lifecycle';
import { CASE_STATUSES, CaseStatus } from '../../src/codes/code-lists';
import { openCase, setCase } from '../support/cases';
import { call, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** domain.md's lifecycle, transcribed: from → action → to. Everything else is illegal. */
const LEGAL: [CaseStatus, CaseAction, CaseStatus | 'previous'][] = [
  ['intake', 'accept', 'assessment'],
  ['intake', 'reject', 'closed'],
  ['assessment', 'start_support', 'active'],
  ['active', 'monitor', 'monitoring'],
  ['monitoring', 'resume', 'active'],
  ['assessment', 'request_closure', 'closure_requested'],
  ['active', 'request_closure', 'closure_requested'],
  ['monitoring', 'request_closure', 'closure_requested'],
  ['closure_requested', 'approve_closure', 'closed'],
  ['closure_requested', 'reject_closure', 'previous'],
  ['closed', 'reopen', 'assessment'],
];

describe('the case lifecycle table', () => {
  it('is exactly the table of domain.md', () => {
    const table = caseLifecycle
      .table()
      .flatMap((rule) =>
        rule.from.map((from) => [from, rule.action, typeof rule.to === 'function' ? 'previous' : rule.to]),
      );
    expect(table.sort()).toEqual([...LEGAL].sort());
  });

  it('has no way to closed except approval by a supervisor (or rejecting an intake)', () => {
    const intoClosed = caseLifecycle.table().filter((r) => r.to === 'closed');
    expect(intoClosed.map((r) => [r.action, r.permission])).toEqual([
      ['reject', 'case.triage'],
      ['approve_closure', 'case.close'],
    ]);
  });
});

describe('case transitions over HTTP', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
  });
  afterAll(async () => t?.close());

  const transition = (user: World['admin'], id: string, payload: object) =>
    call(t, user, { method: 'POST', url: `/api/v1/cases/${id}/transitions`, payload });

  /** A case in district A, assigned to counselorA, put straight into `status`. */
  async function caseIn(status: CaseStatus) {
    const { case: c } = await openCase(t, w.counselorA);
    await setCase(t, c.id, {
      status,
      district_id: w.districtA,
      status_before_closure_request: status === 'closure_requested' ? 'monitoring' : null,
      closure_reason: status === 'closure_requested' || status === 'closed' ? 'resolved' : null,
    });
    return c.id;
  }

  const bodyFor = (action: CaseAction) => ({
    action,
    reason: 'decided at the meeting',
    ...(action === 'request_closure' ? { closureReason: 'resolved' } : {}),
  });

  it.each(LEGAL)('%s --%s--> %s', async (from, action, to) => {
    const id = await caseIn(from);
    const res = await transition(w.supervisorA, id, bodyFor(action));
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe(to === 'previous' ? 'monitoring' : to);
    const events = (await call(t, w.supervisorA, { method: 'GET', url: `/api/v1/cases/${id}/events` })).json().items;
    expect(events.at(-1)).toMatchObject({ kind: 'transition', action, fromStatus: from, actorId: w.supervisorA.id });
  });

  const illegal = CASE_STATUSES.flatMap((from) =>
    CASE_ACTIONS.filter((a) => !LEGAL.some(([f, la]) => f === from && la === a)).map((a) => [from, a] as const),
  );
  it.each(illegal)('%s --%s--> is a 409 listing the allowed actions', async (from, action) => {
    const id = await caseIn(from);
    const res = await transition(w.supervisorA, id, bodyFor(action));
    expect(res.statusCode).toBe(409);
    const expected = LEGAL.filter(([f]) => f === from).map(([, a]) => a);
    expect(res.json()).toMatchObject({ code: 'illegal_transition', status: 409 });
    expect([...res.json().allowedActions].sort()).toEqual([...expected].sort());
    const [row] = await t.db.query('SELECT status FROM cases WHERE id = $1', [id]);
    expect(row.status).toBe(from);
  });

  it('a counselor requests closure but cannot approve it; only a supervisor closes the case', async () => {
    const id = await caseIn('active');
    const requested = await transition(w.counselorA, id, { action: 'request_closure', closureReason: 'moved_away' });
    expect(requested.statusCode).toBe(200);
    expect(requested.json()).toMatchObject({
      status: 'closure_requested',
      closureReason: 'moved_away',
      allowedActions: [],
    });
    const approveByCounselor = await transition(w.counselorA, id, { action: 'approve_closure' });
    expect(approveByCounselor.statusCode).toBe(403);
    const [still] = await t.db.query('SELECT status, closed_at FROM cases WHERE id = $1', [id]);
    expect(still).toEqual({ status: 'closure_requested', closed_at: null });
    // A supervisor of another district cannot either: the case is not theirs to see.
    expect((await transition(w.supervisorB, id, { action: 'approve_closure' })).statusCode).toBe(404);
    const approved = await transition(w.supervisorA, id, { action: 'approve_closure' });
    expect(approved.json()).toMatchObject({
      status: 'closed',
      closureReason: 'moved_away',
      closedAt: expect.any(String),
    });
  });

  it('rejecting a closure goes back to where the case was', async () => {
    const id = await caseIn('assessment');
    await transition(w.counselorA, id, { action: 'request_closure', closureReason: 'no_contact' });
    const back = await transition(w.supervisorA, id, { action: 'reject_closure', reason: 'keep trying' });
    expect(back.json()).toMatchObject({ status: 'assessment', closureReason: null });
  });

  it('accepting needs a district; counselors cannot accept or reject intakes', async () => {
    const { case: c } = await openCase(t, w.counselorA, { household: { address: '東京都港区', members: [] } });
    expect((await transition(w.counselorA, c.id, { action: 'accept' })).statusCode).toBe(403);
    const noDistrict = await transition(w.supervisorB, c.id, { action: 'accept' });
    expect(noDistrict.statusCode).toBe(422);
    expect((await transition(w.supervisorA, c.id, { action: 'reject' })).statusCode).toBe(400); // a reason is required
  });

  it('refuses unknown actions and missing closure reasons with 400', async () => {
    const id = await caseIn('active');
    expect((await transition(w.supervisorA, id, { action: 'teleport' })).statusCode).toBe(400);
    expect((await transition(w.supervisorA, id, { action: 'request_closure' })).statusCode).toBe(400);
    expect(
      (await transition(w.supervisorA, id, { action: 'request_closure', closureReason: 'bored' })).statusCode,
    ).toBe(400);
  });

  it('staff and admins cannot move cases', async () => {
    const id = await caseIn('active');
    expect((await transition(w.staff, id, { action: 'monitor' })).statusCode).toBe(403);
    expect((await transition(w.admin, id, { action: 'monitor' })).statusCode).toBe(403);
  });
});
