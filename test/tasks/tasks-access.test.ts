import { openCase, setCase } from '../support/cases';
import { call, createUser, createWorld, TestUser, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** The task and notification rows of access.md's matrix, and bad input. */
describe('tasks: access and validation', () => {
  let t: TestApp;
  let w: World;
  let caseA: string; // district A, assigned to counselorA
  let caseB: string; // district B
  let referred: string; // district A, with a referral, assigned to leadA

  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    caseA = (await openCase(t, w.counselorA)).case.id;
    caseB = (await openCase(t, w.counselorB, { household: { address: '北町1-1', members: [] } })).case.id;
    referred = (await openCase(t, w.supervisorA)).case.id;
    await setCase(t, caseA, { status: 'active' });
    await setCase(t, referred, { status: 'active', has_referral: true, primary_counselor_id: w.leadA.id });
  });
  afterAll(async () => t?.close());

  const soon = () => new Date(Date.now() + 3 * 24 * 3_600_000).toISOString();
  const create = (user: TestUser, caseId: string, payload: object = {}) =>
    call(t, user, {
      method: 'POST',
      url: `/api/v1/cases/${caseId}/tasks`,
      payload: {
        kind: 'home_visit',
        title: '家庭訪問',
        dueAt: soon(),
        assigneeId: user.id,
        priority: 'high',
        ...payload,
      },
    });
  const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM tasks`))[0].n as number;

  it('create: counselors on cases they can edit, supervisors in their districts; 404 out of scope', async () => {
    expect((await create(w.counselorA, caseA)).statusCode).toBe(201);
    expect((await create(w.counselorA, caseB)).statusCode).toBe(404);
    expect((await create(w.supervisorA, caseA)).statusCode).toBe(201);
    expect((await create(w.supervisorA, caseB)).statusCode).toBe(404);
    expect((await create(w.admin, caseA)).statusCode).toBe(403);
    // A counselor may give a readable but unassigned case a task of their own, not one for a colleague.
    expect((await create(w.counselorA, referred, { assigneeId: w.leadA.id })).statusCode).toBe(403);
  });

  it('staff: referral follow-up tasks only, on cases whose header they see', async () => {
    expect((await create(w.staff, referred, { kind: 'referral_followup', title: '回答の催促' })).statusCode).toBe(201);
    expect((await create(w.staff, referred, { kind: 'home_visit' })).statusCode).toBe(403);
    expect((await create(w.staff, caseA, { kind: 'referral_followup' })).statusCode).toBe(404);
  });

  it('refuses bad input with 400 and creates nothing', async () => {
    const outsider = await createUser(t, 'elsewhere', ['counselor']);
    const before = await count();
    for (const payload of [
      { dueAt: 'next tuesday' },
      { dueAt: '2026-02-30T10:00:00+09:00' },
      { dueAt: '2026-12-01T10:00:00' },
      { kind: 'errand' },
      { priority: 'whenever' },
      { assigneeId: 'not-a-uuid' },
      { assigneeId: w.counselorB.id }, // a counselor of another district
      { assigneeId: outsider.id }, // a counselor of no district
      { title: '' },
      { title: 'x'.repeat(500) },
      { colour: 'red' },
    ]) {
      const res = await create(w.supervisorA, caseA, payload);
      expect([JSON.stringify(payload), res.statusCode]).toEqual([JSON.stringify(payload), 400]);
    }
    expect(await count()).toBe(before);
  });

  it('read and list: own tasks and tasks of cases in scope; overdue is computed', async () => {
    const mine = (
      await create(w.counselorA, caseA, { dueAt: new Date(Date.now() - 3_600_000).toISOString(), title: '昨日の記録' })
    ).json();
    expect(mine.overdue).toBe(true);
    const list = async (user: TestUser, query = '') =>
      (await call(t, user, { method: 'GET', url: `/api/v1/tasks?limit=100${query}` })).json().items as {
        id: string;
        caseId: string;
        kind: string;
      }[];
    expect((await list(w.counselorA, '&assigneeId=me&overdue=true')).map((x) => x.id)).toEqual([mine.id]);
    expect((await list(w.counselorB)).filter((x) => x.caseId === caseA)).toEqual([]);
    expect((await list(w.staff)).every((x) => x.kind === 'referral_followup')).toBe(true);
    expect((await list(w.supervisorB)).filter((x) => x.caseId === caseA)).toEqual([]);
    expect((await call(t, w.counselorB, { method: 'GET', url: `/api/v1/tasks/${mine.id}` })).statusCode).toBe(404);
    expect((await call(t, w.admin, { method: 'GET', url: '/api/v1/tasks' })).statusCode).toBe(403);
    const cases = (await call(t, w.counselorA, { method: 'GET', url: '/api/v1/cases?hasOverdueTasks=true' })).json()
      .items;
    expect(cases.map((c: { id: string }) => c.id)).toEqual([caseA]);
    expect((await call(t, w.counselorA, { method: 'GET', url: '/api/v1/tasks?overdue=maybe' })).statusCode).toBe(400);
  });

  it('complete and cancel: by whoever may manage the task; twice is a 409', async () => {
    const task = (await create(w.counselorA, caseA)).json();
    expect(
      (await call(t, w.counselorB, { method: 'POST', url: `/api/v1/tasks/${task.id}/complete`, payload: {} }))
        .statusCode,
    ).toBe(404);
    const done = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/tasks/${task.id}/complete`,
      payload: { note: '訪問済み' },
    });
    expect(done.json()).toMatchObject({ status: 'done', closedBy: w.counselorA.id, note: '訪問済み', overdue: false });
    expect(
      (await call(t, w.counselorA, { method: 'POST', url: `/api/v1/tasks/${task.id}/cancel`, payload: {} })).statusCode,
    ).toBe(409);
  });

  it('reassign: supervisors only, to someone of the district; versioned', async () => {
    const task = (await create(w.counselorA, caseA)).json();
    const patch = (user: TestUser, payload: object, version = task.version) =>
      call(t, user, {
        method: 'PATCH',
        url: `/api/v1/tasks/${task.id}`,
        headers: { 'if-match': `"${version}"` },
        payload,
      });
    expect((await patch(w.counselorA, { assigneeId: w.leadA.id })).statusCode).toBe(403);
    expect((await patch(w.supervisorA, { assigneeId: w.counselorB.id })).statusCode).toBe(400);
    const moved = await patch(w.supervisorA, { assigneeId: w.leadA.id });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().assigneeId).toBe(w.leadA.id);
    expect((await patch(w.supervisorA, { title: 'again' })).statusCode).toBe(409);
    expect(
      (await call(t, w.supervisorA, { method: 'PATCH', url: `/api/v1/tasks/${task.id}`, payload: { title: 'x' } }))
        .statusCode,
    ).toBe(428);
  });

  it('notifications: everyone reads only their own', async () => {
    await t.db.query(
      `INSERT INTO notifications (user_id, event_key, kind, title) VALUES ($1, 'probe-1', 'probe', 'for A'), ($2, 'probe-1', 'probe', 'for B')`,
      [w.counselorA.id, w.counselorB.id],
    );
    for (const user of [w.counselorA, w.supervisorA, w.staff, w.admin]) {
      expect((await call(t, user, { method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(200);
    }
    const a = (await call(t, w.counselorA, { method: 'GET', url: '/api/v1/notifications' })).json().items;
    expect(a.map((n: { title: string }) => n.title)).toContain('for A');
    expect(a.map((n: { title: string }) => n.title)).not.toContain('for B');
    expect((await call(t, null, { method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(401);
    expect(
      (await call(t, w.counselorA, { method: 'GET', url: '/api/v1/notifications?unread=perhaps' })).statusCode,
    ).toBe(400);
  });
});
