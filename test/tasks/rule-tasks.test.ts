import { intakeBody } from '../support/cases';
import { addSupervisor, call, createUser, createWorld, TestUser, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;

describe('tasks made by a rule (issue 10, items 4 and 5)', () => {
  let t: TestApp;
  let w: World;
  let supervisorA2: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    supervisorA2 = await createUser(t, 'supervisor_a2', ['supervisor']);
    await addSupervisor(t, w.districtA, supervisorA2.id);
  });
  afterAll(async () => t?.close());

  /** An abuse intake by counselorA in district A: its safety check is counselorA's. */
  async function safetyCheck() {
    const res = await call(t, w.counselorA, {
      method: 'POST',
      url: '/api/v1/intakes',
      payload: intakeBody({
        consultation: {
          occurredAt: new Date(Date.now() - 60_000).toISOString(),
          consultationType: 'abuse',
          abuseTypes: ['neglect'],
        },
      }),
    });
    expect(res.statusCode).toBe(201);
    const caseId = res.json().case.id as string;
    const [task] = (await t.db.query(`SELECT id FROM tasks WHERE case_id = $1 AND kind = 'safety_check'`, [
      caseId,
    ])) as { id: string }[];
    const view = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/tasks/${task.id}` })).json();
    expect(view).toMatchObject({ assigneeId: w.counselorA.id, status: 'open' });
    return { caseId, task: view as { id: string; version: number; dueAt: string } };
  }

  const patch = (user: TestUser, task: { id: string; version: number }, payload: object) =>
    call(t, user, {
      method: 'PATCH',
      url: `/api/v1/tasks/${task.id}`,
      headers: { 'if-match': `"${task.version}"` },
      payload,
    });
  const post = (user: TestUser, url: string, payload: object) => call(t, user, { method: 'POST', url, payload });
  const row = async (id: string) =>
    (await t.db.query(`SELECT status, due_at, version FROM tasks WHERE id = $1`, [id]))[0] as {
      status: string;
      due_at: Date;
      version: number;
    };
  const notified = async (userId: string, kind: string, taskId: string) =>
    (
      await t.db.query(`SELECT title FROM notifications WHERE user_id = $1 AND kind = $2 AND task_id = $3`, [
        userId,
        kind,
        taskId,
      ])
    ).length as number;

  describe('item 4: a rule task moves only earlier; postponing or cancelling is a supervisor decision', () => {
    it('the assigned counselor cannot postpone or cancel the 48-hour check, but may bring it forward', async () => {
      const { task } = await safetyCheck();
      const nextYear = new Date(Date.parse(task.dueAt) + 365 * 24 * HOUR).toISOString();
      expect((await patch(w.counselorA, task, { dueAt: nextYear })).statusCode).toBe(403);
      expect((await patch(w.counselorA, task, { dueAt: nextYear, reason: '多忙のため' })).statusCode).toBe(403);
      expect((await post(w.counselorA, `/api/v1/tasks/${task.id}/cancel`, { reason: '不要' })).statusCode).toBe(403);
      expect(await row(task.id)).toMatchObject({ status: 'open', due_at: new Date(task.dueAt) });

      const earlier = new Date(Date.parse(task.dueAt) - 6 * HOUR).toISOString();
      const moved = await patch(w.counselorA, task, { dueAt: earlier });
      expect(moved.statusCode).toBe(200);
      expect(moved.json().dueAt).toBe(earlier);
    });

    it('a supervisor postpones it only with a reason, recorded on the case and told to the district supervisors', async () => {
      const { caseId, task } = await safetyCheck();
      const later = new Date(Date.parse(task.dueAt) + 24 * HOUR).toISOString();
      const refused = await patch(w.supervisorA, task, { dueAt: later });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors).toEqual([expect.objectContaining({ field: 'reason' })]);
      expect(await row(task.id)).toMatchObject({ due_at: new Date(task.dueAt), version: task.version });

      const ok = await patch(w.supervisorA, task, { dueAt: later, reason: '児童が入院中のため病院と調整' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().dueAt).toBe(later);
      const events = (await call(t, w.supervisorA, { method: 'GET', url: `/api/v1/cases/${caseId}/events` })).json()
        .items as { kind: string; reason: string | null; details: Record<string, unknown> }[];
      expect(events).toContainEqual(
        expect.objectContaining({
          kind: 'task_postponed',
          reason: '児童が入院中のため病院と調整',
          details: expect.objectContaining({ taskId: task.id, from: task.dueAt, to: later }),
        }),
      );
      for (const supervisor of [w.supervisorA, supervisorA2]) {
        expect(await notified(supervisor.id, 'rule_task_postponed', task.id)).toBe(1);
      }
      expect(await notified(w.supervisorB.id, 'rule_task_postponed', task.id)).toBe(0);
    });

    it('a supervisor cancels it only with a reason, recorded and told', async () => {
      const { caseId, task } = await safetyCheck();
      const refused = await post(w.supervisorA, `/api/v1/tasks/${task.id}/cancel`, {});
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors).toEqual([expect.objectContaining({ field: 'reason' })]);
      expect((await row(task.id)).status).toBe('open');

      const ok = await post(w.supervisorA, `/api/v1/tasks/${task.id}/cancel`, { reason: '重複した通告のため' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().status).toBe('cancelled');
      const events = (await call(t, w.supervisorA, { method: 'GET', url: `/api/v1/cases/${caseId}/events` })).json()
        .items as { kind: string; reason: string | null }[];
      expect(events).toContainEqual(expect.objectContaining({ kind: 'task_cancelled', reason: '重複した通告のため' }));
      expect(await notified(supervisorA2.id, 'rule_task_cancelled', task.id)).toBe(1);
    });
  });

  describe('item 5: completing a safety check records its outcome', () => {
    const outcome = (extra: object = {}) => ({
      seenAt: new Date(Date.now() - 30 * 60_000).toISOString(),
      place: '自宅',
      seenBy: '相談員A、保健師B',
      method: 'direct',
      result: 'safe',
      ...extra,
    });

    it('refuses a completion without a full outcome, and leaves the task open', async () => {
      const { task } = await safetyCheck();
      for (const payload of [
        {},
        { note: '確認済み' },
        { outcome: outcome({ seenAt: undefined }) },
        { outcome: outcome({ place: '' }) },
        { outcome: outcome({ seenBy: undefined }) },
        { outcome: outcome({ method: 'rumour' }) },
        { outcome: outcome({ result: 'fine' }) },
        { outcome: outcome({ result: 'concerns' }) }, // what was seen is required
        { outcome: outcome({ seenAt: new Date(Date.now() + 2 * HOUR).toISOString() }) },
      ]) {
        const res = await post(w.counselorA, `/api/v1/tasks/${task.id}/complete`, payload);
        expect([JSON.stringify(payload), res.statusCode]).toEqual([JSON.stringify(payload), 400]);
      }
      expect((await row(task.id)).status).toBe('open');
    });

    it('safe or concerns completes it and keeps the outcome', async () => {
      const { task } = await safetyCheck();
      const done = await post(w.counselorA, `/api/v1/tasks/${task.id}/complete`, {
        outcome: outcome({ result: 'concerns', concerns: '腕にあざ。本児は転んだと話す。' }),
      });
      expect(done.statusCode).toBe(200);
      expect(done.json()).toMatchObject({
        status: 'done',
        outcome: { place: '自宅', method: 'direct', result: 'concerns', concerns: '腕にあざ。本児は転んだと話す。' },
      });
      const again = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/tasks/${task.id}` })).json();
      expect(again.outcome.result).toBe('concerns');
    });

    it('not_seen keeps the task open and escalates to the supervisors at once', async () => {
      const { caseId, task } = await safetyCheck();
      const res = await post(w.counselorA, `/api/v1/tasks/${task.id}/complete`, {
        outcome: outcome({ result: 'not_seen', method: undefined, place: '自宅（不在）' }),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().status).toBe('open');
      expect((await row(task.id)).status).toBe('open');
      for (const supervisor of [w.supervisorA, supervisorA2]) {
        expect(await notified(supervisor.id, 'safety_check_not_seen', task.id)).toBe(1);
      }
      const events = (await call(t, w.supervisorA, { method: 'GET', url: `/api/v1/cases/${caseId}/events` })).json()
        .items as { kind: string; details: Record<string, unknown> }[];
      expect(events).toContainEqual(
        expect.objectContaining({
          kind: 'safety_check_not_seen',
          details: expect.objectContaining({ taskId: task.id }),
        }),
      );
    });

    it('an outcome belongs to a safety check only; other tasks complete as before', async () => {
      const { caseId } = await safetyCheck();
      const other = await post(w.counselorA, `/api/v1/cases/${caseId}/tasks`, {
        kind: 'callback',
        title: '折り返し',
        dueAt: new Date(Date.now() + HOUR).toISOString(),
        assigneeId: w.counselorA.id,
      });
      const id = other.json().id;
      expect((await post(w.counselorA, `/api/v1/tasks/${id}/complete`, { outcome: outcome() })).statusCode).toBe(400);
      expect((await post(w.counselorA, `/api/v1/tasks/${id}/complete`, {})).json().status).toBe('done');
    });
  });
});
