import { intakeBody, openCase, setCase } from '../support/cases';
import {
  addMember,
  call,
  createDistrict,
  createOrganization,
  createUser,
  createWorld,
  TestUser,
  World,
} from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;

interface TaskRow {
  id: string;
  assignee_id: string;
  status: string;
  due_at: Date;
}

/** issue 10, items 1, 2, 6, 7 and 8: every report has an owner who can act on it, and the supervisors know. */
describe('no report is left without an owner', () => {
  let t: TestApp;
  let w: World;
  let districtC: string; // a new district: no supervisor, no lead, no members
  let organization: string;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    districtC = await createDistrict(t, 'district_c', ['南町']);
    organization = await createOrganization(t, w.admin, { name: '南小学校', type: 'school', councilMember: true });
  });
  afterAll(async () => t?.close());

  const abuseIntake = async (user: TestUser, address = '岡山市中央一丁目1-1', receivedAt = new Date()) => {
    const res = await call(t, user, {
      method: 'POST',
      url: '/api/v1/intakes',
      payload: intakeBody({
        household: { address, members: [] },
        consultation: { occurredAt: receivedAt.toISOString(), consultationType: 'abuse', abuseTypes: ['physical'] },
      }),
    });
    expect(res.statusCode).toBe(201);
    return res.json().case as { id: string; number: string; districtId: string | null };
  };
  const incomingNotification = async (user: TestUser, extra: object) => {
    const res = await call(t, user, {
      method: 'POST',
      url: '/api/v1/referrals',
      payload: {
        direction: 'incoming',
        kind: 'notification',
        organizationId: organization,
        reason: '登校時に顔にあざ',
        urgency: 'emergency',
        legalBasis: 'statutory',
        sharedInformation: '学校での様子',
        ...extra,
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; caseId: string };
  };
  const safetyChecks = (caseId: string) =>
    t.db.query(
      `SELECT id, assignee_id, status, due_at FROM tasks WHERE case_id = $1 AND kind = 'safety_check' ORDER BY created_at`,
      [caseId],
    ) as Promise<TaskRow[]>;
  const notifications = (userId: string, kind: string) =>
    t.db.query(`SELECT title, task_id, case_id FROM notifications WHERE user_id = $1 AND kind = $2`, [
      userId,
      kind,
    ]) as Promise<{ title: string; task_id: string | null; case_id: string | null }[]>;
  const complete = (user: TestUser, taskId: string) =>
    call(t, user, {
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/complete`,
      payload: {
        outcome: {
          seenAt: new Date(Date.now() - 60_000).toISOString(),
          place: '学校',
          seenBy: '担当者',
          method: 'direct',
          result: 'safe',
        },
      },
    });
  const supervisors = () => [w.supervisorA, w.supervisorB];
  const userById = (id: string) => supervisors().find((s) => s.id === id) as TestUser;
  const unowned = async () =>
    (
      await t.db.query(
        `SELECT count(*)::int AS n FROM tasks t JOIN users u ON u.id = t.assignee_id
          WHERE t.kind = 'safety_check' AND t.status = 'open' AND NOT u.active`,
      )
    )[0].n as number;

  /** The assignee is an active supervisor of the center who can open the case, see and complete the task. */
  async function expectFallbackOwner(caseId: string) {
    const [task] = await safetyChecks(caseId);
    expect(task).toBeDefined();
    const owner = userById(task.assignee_id);
    expect(owner).toBeDefined();
    for (const supervisor of supervisors()) {
      expect((await notifications(supervisor.id, 'task_fallback')).map((n) => n.task_id)).toContain(task.id);
      expect((await call(t, supervisor, { method: 'GET', url: `/api/v1/cases/${caseId}` })).statusCode).toBe(200);
    }
    expect((await call(t, owner, { method: 'GET', url: `/api/v1/tasks/${task.id}` })).statusCode).toBe(200);
    expect((await complete(owner, task.id)).statusCode).toBe(200);
  }

  describe('item 1: a safety check always has an active owner who can act on it', () => {
    it('an abuse intake in a district with no supervisor and no lead, recorded by a supervisor of another district', async () => {
      const c = await abuseIntake(w.supervisorA, '岡山市南町1-1');
      expect(c.districtId).toBe(districtC);
      await expectFallbackOwner(c.id);
    });

    it('an incoming notification (通告) registered by staff about a child of that district', async () => {
      const r = await incomingNotification(w.staff, {
        subject: intakeBody().subject,
        household: { address: '岡山市南町2-2', members: [] },
      });
      await expectFallbackOwner(r.caseId);
    });

    it('a case whose primary counselor was deactivated: the new safety check goes to the district lead', async () => {
      const gone = await createUser(t, 'counselor_gone', ['counselor']);
      await addMember(t, w.districtA, gone.id);
      const { case: c } = await openCase(t, gone);
      await setCase(t, c.id, { status: 'assessment', district_id: w.districtA });
      expect((await call(t, w.admin, { method: 'POST', url: `/api/v1/users/${gone.id}/deactivate` })).statusCode).toBe(
        200,
      );
      const res = await call(t, w.supervisorA, {
        method: 'POST',
        url: `/api/v1/cases/${c.id}/consultations`,
        payload: intakeBody({ consultation: { consultationType: 'abuse', abuseNotification: true } }).consultation,
      });
      expect(res.statusCode).toBe(201);
      expect((await safetyChecks(c.id)).map((x) => x.assignee_id)).toEqual([w.leadA.id]);
    });

    it('deactivating a user hands their open tasks to the chain, and says so', async () => {
      const leaving = await createUser(t, 'counselor_leaving', ['counselor']);
      await addMember(t, w.districtA, leaving.id);
      const c = await abuseIntake(leaving);
      const [task] = await safetyChecks(c.id);
      expect(task.assignee_id).toBe(leaving.id);
      expect(
        (await call(t, w.admin, { method: 'POST', url: `/api/v1/users/${leaving.id}/deactivate` })).statusCode,
      ).toBe(200);
      expect((await safetyChecks(c.id))[0].assignee_id).toBe(w.leadA.id);
      expect((await notifications(w.leadA.id, 'task_assigned')).map((n) => n.task_id)).toContain(task.id);
      expect(await unowned()).toBe(0);
      const ready = (await call(t, null, { method: 'GET', url: '/health/ready' })).json();
      expect(ready.details.followUps).toMatchObject({ safetyChecksWithoutActiveAssignee: 0 });
    });

    it('ending a membership hands the member’s open tasks in that district to the chain', async () => {
      const moving = await createUser(t, 'counselor_moving', ['counselor']);
      await addMember(t, w.districtA, moving.id);
      const c = await abuseIntake(moving);
      const [task] = await safetyChecks(c.id);
      expect(task.assignee_id).toBe(moving.id);
      const ended = await call(t, w.supervisorA, {
        method: 'DELETE',
        url: `/api/v1/districts/${w.districtA}/members/${moving.id}`,
      });
      expect(ended.statusCode).toBe(204);
      expect((await safetyChecks(c.id))[0].assignee_id).toBe(w.leadA.id);
      expect((await notifications(w.leadA.id, 'task_assigned')).map((n) => n.task_id)).toContain(task.id);
      expect((await notifications(moving.id, 'task_unassigned')).map((n) => n.task_id)).toContain(task.id);
    });
  });

  it('a progress review that finds nobody in its district goes to a supervisor of the center, and all of them hear of it', async () => {
    // A case of district C (no lead, no supervisor) that a supervisor recorded (no primary counselor), now monitored.
    const { case: opened } = await openCase(t, w.supervisorA, { household: { address: '岡山市南町3-3', members: [] } });
    expect(opened.districtId).toBe(districtC);
    await setCase(t, opened.id, { status: 'monitoring' });
    const edited = await call(t, w.supervisorB, {
      method: 'PATCH',
      url: `/api/v1/cases/${opened.id}`,
      payload: { risk: 'low' },
      headers: { 'if-match': `"${opened.version}"` },
    });
    expect(edited.statusCode).toBe(200);
    const [review] = (await t.db.query(
      `SELECT id, assignee_id FROM tasks WHERE case_id = $1 AND kind = 'review' AND status = 'open'`,
      [opened.id],
    )) as TaskRow[];
    expect(review).toBeDefined();
    expect(userById(review.assignee_id)).toBeDefined();
    for (const supervisor of supervisors())
      expect((await notifications(supervisor.id, 'task_fallback')).map((n) => n.task_id)).toContain(review.id);
  });

  describe('a review that a conference decides goes to someone who can act on it', () => {
    const conferenceWithReview = async (caseId: string) => {
      const res = await call(t, w.supervisorA, {
        method: 'POST',
        url: `/api/v1/cases/${caseId}/conferences`,
        payload: {
          kind: 'case_review',
          heldAt: new Date(Date.now() - HOUR).toISOString(),
          attendeeUserIds: [w.supervisorA.id],
          attendeeOrganizationIds: [],
          decisions: '月1回の家庭訪問を継続する。',
          nextReviewAt: new Date(Date.now() + 30 * 24 * HOUR).toISOString(),
        },
      });
      expect(res.statusCode).toBe(201);
      const [task] = (await t.db.query(`SELECT id, assignee_id FROM tasks WHERE id = $1`, [
        res.json().reviewTaskId,
      ])) as TaskRow[];
      return task;
    };

    it('the primary counselor left the center: the district lead, not the inactive counselor', async () => {
      const gone = await createUser(t, 'counselor_gone_review', ['counselor']);
      await addMember(t, w.districtA, gone.id);
      const { case: c } = await openCase(t, gone);
      await setCase(t, c.id, { status: 'active', district_id: w.districtA, primary_counselor_id: gone.id });
      const deactivated = await call(t, w.admin, { method: 'POST', url: `/api/v1/users/${gone.id}/deactivate` });
      expect(deactivated.statusCode).toBe(200);
      expect((await conferenceWithReview(c.id)).assignee_id).toBe(w.leadA.id);
    });

    it('a confidential case without a primary counselor: a supervisor of its district, not a lead who cannot open it', async () => {
      const { case: c } = await openCase(t, w.supervisorA);
      await setCase(t, c.id, {
        status: 'active',
        district_id: w.districtA,
        primary_counselor_id: null,
        confidential: true,
      });
      const task = await conferenceWithReview(c.id);
      expect(task.assignee_id).toBe(w.supervisorA.id);
      expect((await call(t, w.supervisorA, { method: 'GET', url: `/api/v1/tasks/${task.id}` })).statusCode).toBe(200);
    });

    it('a case of a district nobody oversees: a supervisor of the center, and every supervisor hears of it', async () => {
      const { case: c } = await openCase(t, w.supervisorA, { household: { address: '岡山市南町4-4', members: [] } });
      expect(c.districtId).toBe(districtC);
      await setCase(t, c.id, { status: 'active', primary_counselor_id: null });
      const task = await conferenceWithReview(c.id);
      expect(userById(task.assignee_id)).toBeDefined();
      for (const supervisor of supervisors())
        expect((await notifications(supervisor.id, 'task_fallback')).map((n) => n.task_id)).toContain(task.id);
    });
  });

  it('item 2: the safety check of an unplaced notification is visible to, and completable by, its assignee', async () => {
    const r = await incomingNotification(w.staff, { subject: intakeBody().subject });
    const c = (await t.db.query(`SELECT district_id FROM cases WHERE id = $1`, [r.caseId]))[0];
    expect(c.district_id).toBeNull();
    const [task] = await safetyChecks(r.caseId);
    const owner = userById(task.assignee_id);
    expect((await call(t, owner, { method: 'GET', url: `/api/v1/tasks/${task.id}` })).statusCode).toBe(200);
    const mine = (await call(t, owner, { method: 'GET', url: '/api/v1/tasks?assigneeId=me&limit=100' })).json().items;
    expect(mine.map((x: { id: string }) => x.id)).toContain(task.id);
    expect((await complete(owner, task.id)).statusCode).toBe(200);
  });

  describe('item 6: one safety check per notification', () => {
    it('a later contact on the case starts no new clock; a second notification attaches to the open check', async () => {
      const received = new Date(Date.now() - 2 * HOUR);
      const c = await abuseIntake(w.counselorA, undefined, received);
      const [first] = await safetyChecks(c.id);
      const addConsultation = (extra: object) =>
        call(t, w.counselorA, {
          method: 'POST',
          url: `/api/v1/cases/${c.id}/consultations`,
          payload: intakeBody({
            consultation: {
              occurredAt: new Date().toISOString(),
              channel: 'home_visit',
              consultationType: 'abuse',
              ...extra,
            },
          }).consultation,
        });
      expect((await addConsultation({})).statusCode).toBe(201); // a follow-up home visit
      expect(await safetyChecks(c.id)).toHaveLength(1);

      expect((await addConsultation({ channel: 'phone', abuseNotification: true })).statusCode).toBe(201);
      await incomingNotification(w.counselorA, { caseId: c.id });
      const checks = await safetyChecks(c.id);
      expect(checks).toHaveLength(1);
      expect(checks[0].due_at).toEqual(first.due_at); // the earlier due time stands
      const view = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/tasks/${first.id}` })).json();
      expect(view.reports).toHaveLength(3);
      expect(view.reports.map((x: { source: string }) => x.source)).toEqual([
        'consultation',
        'consultation',
        'referral',
      ]);

      // Once it is done, a new notification starts a new clock.
      expect((await complete(w.counselorA, first.id)).statusCode).toBe(200);
      expect((await addConsultation({ abuseNotification: true })).statusCode).toBe(201);
      const after = await safetyChecks(c.id);
      expect(after).toHaveLength(2);
      expect(after[1].status).toBe('open');
    });
  });

  it('item 7: a new primary counselor takes over the previous one’s open tasks on the case; both are told', async () => {
    const successor = await createUser(t, 'counselor_successor', ['counselor']);
    await addMember(t, w.districtA, successor.id);
    const c = await abuseIntake(w.counselorA);
    const [check] = await safetyChecks(c.id);
    const task = async (user: TestUser, assigneeId: string) =>
      (
        await call(t, user, {
          method: 'POST',
          url: `/api/v1/cases/${c.id}/tasks`,
          payload: {
            kind: 'callback',
            title: '折り返し',
            dueAt: new Date(Date.now() + HOUR).toISOString(),
            assigneeId,
          },
        })
      ).json().id as string;
    const callback = await task(w.counselorA, w.counselorA.id);
    const leads = await task(w.supervisorA, w.leadA.id);
    const version = (await call(t, w.supervisorA, { method: 'GET', url: `/api/v1/cases/${c.id}` })).json().version;
    const assigned = await call(t, w.supervisorA, {
      method: 'PUT',
      url: `/api/v1/cases/${c.id}/assignment`,
      headers: { 'if-match': `"${version}"` },
      payload: { districtId: w.districtA, primaryCounselorId: successor.id, coCounselorIds: [] },
    });
    expect(assigned.statusCode).toBe(200);
    const owners = async () =>
      Object.fromEntries(
        ((await t.db.query(`SELECT id, assignee_id FROM tasks WHERE case_id = $1`, [c.id])) as TaskRow[]).map((r) => [
          r.id,
          r.assignee_id,
        ]),
      );
    expect(await owners()).toEqual({ [check.id]: successor.id, [callback]: successor.id, [leads]: w.leadA.id });
    const toSuccessor = (await notifications(successor.id, 'task_assigned')).map((n) => n.task_id);
    expect(toSuccessor.sort()).toEqual([check.id, callback].sort());
    const toPrevious = (await notifications(w.counselorA.id, 'task_unassigned')).map((n) => n.task_id);
    expect(toPrevious.sort()).toEqual([check.id, callback].sort());
  });

  describe('item 8: supervisors hear of an abuse report at once, with the safety check’s due time', () => {
    it('a new abuse intake', async () => {
      const c = await abuseIntake(w.counselorA, undefined, new Date('2026-06-01T10:00:00+09:00'));
      const [mine] = (await notifications(w.supervisorA.id, 'abuse_reported')).filter((n) => n.case_id === c.id);
      expect(mine.title).toContain(c.number);
      expect(mine.title).toContain('2026-06-03 10:00');
      expect((await notifications(w.supervisorB.id, 'abuse_reported')).filter((n) => n.case_id === c.id)).toEqual([]);
    });

    it('an incoming notification registered by staff on an existing case', async () => {
      const { case: c } = await openCase(t, w.counselorA);
      await setCase(t, c.id, { has_referral: true });
      await incomingNotification(w.staff, { caseId: c.id });
      const [check] = await safetyChecks(c.id);
      const [mine] = (await notifications(w.supervisorA.id, 'abuse_reported')).filter((n) => n.case_id === c.id);
      expect(mine).toBeDefined();
      const due = new Intl.DateTimeFormat('sv-SE', {
        timeZone: 'Asia/Tokyo',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      }).format(check.due_at);
      expect(mine.title).toContain(due);
    });
  });
});
