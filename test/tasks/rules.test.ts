import { Queue } from 'bullmq';
import { redisConnection } from '../../src/core/queue/queue.module';
import { JobName, QueueName } from '../../src/core/queue/jobs';
import { Outbox, OutboxRelay } from '../../src/core/queue/outbox';
import { Reconciler } from '../../src/tasks/reconciler.jobs';
import { intakeBody, openCase, setCase } from '../support/cases';
import { call, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/worker';

const HOUR = 3_600_000;

const notificationsFor = (t: TestApp, userId: string, kind?: string) =>
  t.db.query(
    `SELECT kind, event_key, task_id FROM notifications WHERE user_id = $1 ${kind ? 'AND kind = $2' : ''} ORDER BY created_at`,
    [userId, ...(kind ? [kind] : [])],
  ) as Promise<{ kind: string; event_key: string; task_id: string }[]>;

describe('the 48-hour rule and reminders, with the worker embedded', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ WORKER_MODE: 'embedded', RECONCILE_EVERY_MS: '2000' });
    w = await createWorld(t);
  });
  afterAll(async () => t?.close());

  const abuseIntake = (user: World['admin'], receivedAt: Date, extra: object = {}) =>
    call(t, user, {
      method: 'POST',
      url: '/api/v1/intakes',
      payload: intakeBody({
        consultation: {
          occurredAt: receivedAt.toISOString(),
          consultationType: 'abuse',
          abuseTypes: ['physical'],
          mainAbuser: 'biological_father',
          route: 'school',
          ...extra,
        },
      }),
    });

  it('an abuse intake creates a safety_check due 48 h after receipt, for the case counselor', async () => {
    const received = new Date(Date.now() - 5 * 60_000);
    const res = await abuseIntake(w.counselorA, received);
    expect(res.statusCode).toBe(201);
    const [task] = await t.db.query(`SELECT * FROM tasks WHERE case_id = $1`, [res.json().case.id]);
    expect(task).toMatchObject({
      kind: 'safety_check',
      status: 'open',
      assignee_id: w.counselorA.id,
      priority: 'urgent',
      origin: 'rule_48h',
    });
    expect(new Date(task.due_at).getTime()).toBe(new Date(received.toISOString()).getTime() + 48 * HOUR);
  });

  it('recorded by a supervisor, the safety check goes to the district lead; a notification flag alone starts it too', async () => {
    const res = await abuseIntake(w.supervisorA, new Date(Date.now() - 60_000), {
      consultationType: 'parenting',
      abuseTypes: undefined,
      mainAbuser: undefined,
      abuseNotification: true,
    });
    expect(res.statusCode).toBe(201);
    const [task] = await t.db.query(`SELECT kind, assignee_id FROM tasks WHERE case_id = $1`, [res.json().case.id]);
    expect(task).toEqual({ kind: 'safety_check', assignee_id: w.leadA.id });
    const plain = await openCase(t, w.counselorA);
    expect(await t.db.query(`SELECT 1 FROM tasks WHERE case_id = $1`, [plain.case.id])).toEqual([]);
  });

  it('received 51 h ago: escalates to the district supervisors once (and reports it overdue once)', async () => {
    const res = await abuseIntake(w.counselorA, new Date(Date.now() - 51 * HOUR));
    const [task] = await t.db.query(`SELECT id FROM tasks WHERE case_id = $1`, [res.json().case.id]);
    await waitFor(async () =>
      (await notificationsFor(t, w.supervisorA.id, 'task_escalated')).some((n) => n.task_id === task.id),
    );
    await t.app.get(Reconciler).sweep(); // a sweep afterwards changes nothing
    await new Promise((r) => setTimeout(r, 1500));
    const mine = (await notificationsFor(t, w.supervisorA.id)).filter((n) => n.task_id === task.id);
    expect(mine.map((n) => n.kind).sort()).toEqual(['safety_check_overdue', 'task_escalated']);
    expect((await notificationsFor(t, w.supervisorB.id)).filter((n) => n.task_id === task.id)).toEqual([]);
  });

  it('a task due in a few seconds reminds its assignee exactly once', async () => {
    const { case: c } = await openCase(t, w.counselorA);
    const due = new Date(Date.now() + 2500);
    const res = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/cases/${c.id}/tasks`,
      payload: { kind: 'callback', title: '母へ折り返し電話', dueAt: due.toISOString(), assigneeId: w.counselorA.id },
    });
    expect(res.statusCode).toBe(201);
    const taskId = res.json().id;
    const mine = async () => (await notificationsFor(t, w.counselorA.id)).filter((n) => n.task_id === taskId);
    expect(await mine()).toEqual([]);
    await waitFor(async () => (await mine()).length > 0, 10_000);
    await t.app.get(Reconciler).sweep();
    await new Promise((r) => setTimeout(r, 2500));
    expect((await mine()).map((n) => n.kind)).toEqual(['task_due']);
    const listed = (await call(t, w.counselorA, { method: 'GET', url: '/api/v1/notifications?unread=true' })).json();
    const notification = listed.items.find((n: { taskId: string }) => n.taskId === taskId);
    expect(notification).toMatchObject({ kind: 'task_due', readAt: null });
    const read = await call(t, w.counselorA, { method: 'POST', url: `/api/v1/notifications/${notification.id}/read` });
    expect(read.json().readAt).toEqual(expect.any(String));
    expect(
      (await call(t, w.counselorB, { method: 'POST', url: `/api/v1/notifications/${notification.id}/read` }))
        .statusCode,
    ).toBe(404);
  });

  it('a task whose due time moves fires only at the new time', async () => {
    const { case: c } = await openCase(t, w.counselorA);
    const created = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/cases/${c.id}/tasks`,
      payload: {
        kind: 'home_visit',
        title: '家庭訪問',
        dueAt: new Date(Date.now() + 2000).toISOString(),
        assigneeId: w.counselorA.id,
      },
    });
    const task = created.json();
    const newDue = new Date(Date.now() + 6000);
    const moved = await call(t, w.counselorA, {
      method: 'PATCH',
      url: `/api/v1/tasks/${task.id}`,
      headers: { 'if-match': `"${task.version}"` },
      payload: { dueAt: newDue.toISOString() },
    });
    expect(moved.statusCode).toBe(200);
    const mine = async () => (await notificationsFor(t, w.counselorA.id)).filter((n) => n.task_id === task.id);
    await new Promise((r) => setTimeout(r, 4000)); // past the old due time
    expect(await mine()).toEqual([]);
    await waitFor(async () => (await mine()).length > 0, 10_000);
    const [fired] = await mine();
    expect(fired.event_key).toBe(`task-reminder.${task.id}.${newDue.getTime()}.0`);
  });

  it('received 47 h 59 min ago: alerts the district supervisors once when it falls overdue', async () => {
    const res = await abuseIntake(w.counselorA, new Date(Date.now() - (47 * 60 + 59) * 60_000));
    const [task] = await t.db.query(`SELECT id, due_at FROM tasks WHERE case_id = $1`, [res.json().case.id]);
    const alerts = async () =>
      (await notificationsFor(t, w.supervisorA.id, 'safety_check_overdue')).filter((n) => n.task_id === task.id);
    expect(await alerts()).toEqual([]);
    expect(new Date(task.due_at).getTime() - Date.now()).toBeGreaterThan(30_000);
    await waitFor(async () => (await alerts()).length > 0, 90_000, 500);
    await t.app.get(Reconciler).sweep();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await alerts()).toHaveLength(1);
    // The 12-hours-left point had already passed when the case came in: not sent late.
    expect(
      (await notificationsFor(t, w.supervisorA.id, 'safety_check_12h_left')).filter((n) => n.task_id === task.id),
    ).toEqual([]);
  }, 120_000);
});

describe('the outbox', () => {
  let t: TestApp;
  let queue: Queue;
  beforeAll(async () => {
    t = await startTestApp();
    queue = new Queue(QueueName.Tasks, {
      connection: redisConnection(t.config.REDIS_URL),
      prefix: `${t.config.REDIS_PREFIX}:bull`,
    });
  });
  afterAll(async () => {
    await queue?.close();
    await t?.close();
  });

  const job = (jobId: string) => ({
    job: JobName.TaskReminder,
    jobId,
    payload: { taskId: '00000000-0000-4000-8000-000000000000', dueAt: new Date().toISOString(), offsetMinutes: 0 },
    runAt: new Date(Date.now() + 60_000),
  });

  it('an outbox row from a rolled-back transaction produces no job; a committed one produces exactly one', async () => {
    const outbox = t.app.get(Outbox);
    await expect(
      t.db.transaction(async (m) => {
        await outbox.add(m, [job('rolled-back-1')]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await t.db.transaction((m) => outbox.add(m, [job('committed-1'), job('committed-1')]));
    const relay = t.app.get(OutboxRelay);
    await relay.flush();
    await relay.flush();
    expect(await queue.getJob('rolled-back-1')).toBeUndefined();
    expect(await queue.getJob('committed-1')).toBeDefined();
    expect(await queue.getDelayedCount()).toBe(1);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`))[0].n).toBe(0);
  });
});

describe('progress reviews (進行管理)', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
  });
  afterAll(async () => t?.close());

  const openReviews = (caseId: string) =>
    t.db.query(`SELECT id, due_at, assignee_id FROM tasks WHERE case_id = $1 AND kind = 'review' AND status = 'open'`, [
      caseId,
    ]) as Promise<{ id: string; due_at: Date; assignee_id: string }[]>;

  it('a case moved to monitoring always has a future review; completing it plans the next', async () => {
    const { case: c } = await openCase(t, w.counselorA);
    await setCase(t, c.id, { status: 'active', district_id: w.districtA });
    const res = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/cases/${c.id}/transitions`,
      payload: { action: 'monitor' },
    });
    expect(res.statusCode).toBe(200);
    const [review] = await openReviews(c.id);
    expect(review.assignee_id).toBe(w.counselorA.id);
    const months = (new Date(review.due_at).getTime() - Date.now()) / (30 * 24 * HOUR);
    expect(months).toBeGreaterThan(2.9);
    expect(months).toBeLessThan(3.2);
    const done = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/tasks/${review.id}/complete`,
      payload: { note: '実務者会議で確認' },
    });
    expect(done.statusCode).toBe(200);
    const next = await openReviews(c.id);
    expect(next).toHaveLength(1);
    expect(next[0].id).not.toBe(review.id);
  });

  it('the sweep gives every registered case without one a review, once', async () => {
    const { case: c } = await openCase(t, w.counselorA);
    await setCase(t, c.id, { status: 'active', district_id: w.districtA, protection: 'protection_needed' });
    await t.app.get(Reconciler).sweep();
    await t.app.get(Reconciler).sweep();
    expect(await openReviews(c.id)).toHaveLength(1);
  });

  it('a conference records decisions, and its next review date becomes a review task', async () => {
    const { case: c } = await openCase(t, w.counselorA);
    await setCase(t, c.id, { status: 'active', district_id: w.districtA });
    const org = await call(t, w.admin, {
      method: 'POST',
      url: '/api/v1/organizations',
      payload: { name: '中央小学校', kind: 'external', type: 'school', councilMember: true },
    });
    const next = new Date(Date.now() + 30 * 24 * HOUR);
    const body = {
      kind: 'case_review',
      heldAt: new Date(Date.now() - HOUR).toISOString(),
      attendeeUserIds: [w.counselorA.id, w.staff.id],
      attendeeOrganizationIds: [org.json().id],
      decisions: '週1回の家庭訪問を継続する。',
      nextReviewAt: next.toISOString(),
    };
    expect(
      (await call(t, w.counselorB, { method: 'POST', url: `/api/v1/cases/${c.id}/conferences`, payload: body }))
        .statusCode,
    ).toBe(404);
    expect(
      (await call(t, w.staff, { method: 'POST', url: `/api/v1/cases/${c.id}/conferences`, payload: body })).statusCode,
    ).toBe(403);
    expect(
      (
        await call(t, w.counselorA, {
          method: 'POST',
          url: `/api/v1/cases/${c.id}/conferences`,
          payload: { ...body, kind: 'party' },
        })
      ).statusCode,
    ).toBe(400);
    const res = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/cases/${c.id}/conferences`,
      payload: body,
    });
    expect(res.statusCode).toBe(201);
    const [task] = await t.db.query(`SELECT kind, due_at FROM tasks WHERE id = $1`, [res.json().reviewTaskId]);
    expect(task.kind).toBe('review');
    expect(new Date(task.due_at).toISOString()).toBe(next.toISOString());
    // Staff read the decisions of conferences they attended, even without a referral on the case.
    const staffView = await call(t, w.staff, { method: 'GET', url: `/api/v1/cases/${c.id}/conferences` });
    expect(staffView.statusCode).toBe(200);
    expect(staffView.json().items[0].decisions).toBe(body.decisions);
    expect((await call(t, w.counselorB, { method: 'GET', url: `/api/v1/cases/${c.id}/conferences` })).statusCode).toBe(
      404,
    );
  });

  it('notifies new assignees once when a case is assigned', async () => {
    const { case: c } = await openCase(t, w.supervisorA);
    const assign = await call(t, w.supervisorA, {
      method: 'PUT',
      url: `/api/v1/cases/${c.id}/assignment`,
      headers: { 'if-match': `"${c.version}"` },
      payload: { districtId: w.districtA, primaryCounselorId: w.counselorA.id, coCounselorIds: [w.leadA.id] },
    });
    expect(assign.statusCode).toBe(200);
    for (const user of [w.counselorA, w.leadA]) {
      const mine = (await notificationsFor(t, user.id, 'case_assigned')).filter((n) => n.event_key.includes(c.id));
      expect(mine).toHaveLength(1);
    }
  });
});
