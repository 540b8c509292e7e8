import { referralOverdueKey } from '../../src/referrals/referral-deadlines';
import { ReferralDeadlineJobs } from '../../src/referrals/referral-deadlines.jobs';
import { REFERRAL_ACTIONS, referralLifecycle, ReferralAction } from '../../src/referrals/referral-lifecycle';
import { REFERRAL_STATUSES, ReferralStatus } from '../../src/codes/code-lists';
import { intakeBody, openCase, setCase } from '../support/cases';
import { call, createWorld, TestUser, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/worker';

const LEGAL: [ReferralStatus, ReferralAction, ReferralStatus][] = [
  ['draft', 'send', 'sent'],
  ['sent', 'accept', 'accepted'],
  ['sent', 'decline', 'declined'],
  ['accepted', 'start', 'in_progress'],
  ['in_progress', 'complete', 'completed'],
  ['draft', 'withdraw', 'withdrawn'],
  ['sent', 'withdraw', 'withdrawn'],
  ['accepted', 'withdraw', 'withdrawn'],
  ['in_progress', 'withdraw', 'withdrawn'],
];

describe('the referral lifecycle table', () => {
  it('is exactly the table of domain.md', () => {
    const table = referralLifecycle.table().flatMap((r) => r.from.map((from) => [from, r.action, r.to]));
    expect(table.sort()).toEqual([...LEGAL].sort());
  });
});

describe('referrals', () => {
  let t: TestApp;
  let w: World;
  let member: string; // a council member (児童相談所)
  let outsider: string; // not a council member
  let caseA: string; // district A, counselorA

  beforeAll(async () => {
    t = await startTestApp({ WORKER_MODE: 'embedded', RECONCILE_EVERY_MS: '2000' });
    w = await createWorld(t);
    const org = async (name: string, type: string, councilMember: boolean) =>
      (
        await call(t, w.admin, {
          method: 'POST',
          url: '/api/v1/organizations',
          payload: { name, kind: 'external', type, councilMember },
        })
      ).json().id;
    member = await org('岡山県中央児童相談所', 'child_guidance_center', true);
    outsider = await org('地域若者サポートステーション', 'youth_support_station', false);
    caseA = (await openCase(t, w.counselorA)).case.id;
    await setCase(t, caseA, { status: 'active' });
  });
  afterAll(async () => t?.close());

  const body = (extra: object = {}) => ({
    caseId: caseA,
    direction: 'outgoing',
    kind: 'referral',
    organizationId: member,
    reason: '専門的な支援が必要',
    urgency: 'routine',
    legalBasis: 'council_member',
    sharedInformation: '家族構成と経過の要約',
    ...extra,
  });
  const create = (user: TestUser, extra: object = {}, headers: Record<string, string> = {}) =>
    call(t, user, { method: 'POST', url: '/api/v1/referrals', payload: body(extra), headers });
  const move = (user: TestUser, id: string, action: string) =>
    call(t, user, { method: 'POST', url: `/api/v1/referrals/${id}/transitions`, payload: { action } });
  const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM referrals`))[0].n as number;

  async function referralIn(status: ReferralStatus) {
    const id = (await create(w.counselorA)).json().id as string;
    await t.db.query(`UPDATE referrals SET status = $2 WHERE id = $1`, [id, status]);
    return id;
  }

  it.each(LEGAL)('%s --%s--> %s, with its event', async (from, action, to) => {
    const id = await referralIn(from);
    const res = await move(w.counselorA, id, action);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: to });
    expect(res.json().events.at(-1)).toMatchObject({
      action,
      fromStatus: from,
      toStatus: to,
      actorId: w.counselorA.id,
    });
  });

  const illegal = REFERRAL_STATUSES.flatMap((from) =>
    REFERRAL_ACTIONS.filter((a) => !LEGAL.some(([f, la]) => f === from && la === a)).map((a) => [from, a] as const),
  );
  it.each(illegal)('%s --%s--> is a 409 listing the allowed actions', async (from, action) => {
    const id = await referralIn(from);
    const res = await move(w.counselorA, id, action);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('illegal_transition');
    expect([...res.json().allowedActions].sort()).toEqual(
      LEGAL.filter(([f]) => f === from)
        .map(([, a]) => a)
        .sort(),
    );
  });

  describe('consent is enforced on the server', () => {
    it('refuses an outgoing referral to a non-member without consent (422) and changes nothing', async () => {
      const before = await count();
      for (const legalBasis of ['council_member']) {
        const res = await create(w.counselorA, { organizationId: outsider, legalBasis });
        expect(res.statusCode).toBe(422);
        expect(res.json()).toMatchObject({ code: 'consent_required', errors: [{ field: 'legalBasis' }] });
      }
      expect(await count()).toBe(before);
    });

    it.each(['consent_subject', 'consent_guardian', 'statutory', 'vital_interest'])(
      'accepts %s for a non-member',
      async (legalBasis) => {
        const res = await create(w.counselorA, { organizationId: outsider, legalBasis });
        expect(res.statusCode).toBe(201);
        const [entry] = await t.db.query(
          `SELECT actor_id, summary FROM audit_events WHERE entity_type = 'referral' AND entity_id = $1`,
          [res.json().id],
        );
        expect(entry).toMatchObject({
          actor_id: w.counselorA.id,
          summary: { legalBasis, councilMember: false, recordedBy: w.counselorA.id },
        });
      },
    );

    it('accepts council_member for a council member, and refuses it for anyone else, incoming too', async () => {
      expect((await create(w.counselorA, { legalBasis: 'council_member' })).statusCode).toBe(201);
      const incoming = await create(w.staff, {
        direction: 'incoming',
        organizationId: outsider,
        legalBasis: 'council_member',
      });
      expect(incoming.statusCode).toBe(422);
    });

    it('checks again at sending: an organization that left the council is refused', async () => {
      const res = await create(w.counselorA, { legalBasis: 'council_member' });
      const org = (await call(t, w.admin, { method: 'GET', url: `/api/v1/organizations/${member}` })).json();
      await call(t, w.admin, {
        method: 'PATCH',
        url: `/api/v1/organizations/${member}`,
        payload: { councilMember: false, version: org.version },
      });
      try {
        expect((await move(w.counselorA, res.json().id, 'send')).statusCode).toBe(422);
      } finally {
        const now = (await call(t, w.admin, { method: 'GET', url: `/api/v1/organizations/${member}` })).json();
        await call(t, w.admin, {
          method: 'PATCH',
          url: `/api/v1/organizations/${member}`,
          payload: { councilMember: true, version: now.version },
        });
      }
    });
  });

  describe('incoming referrals', () => {
    it('one without caseId opens a case in intake for the child it names', async () => {
      const subject = intakeBody().subject;
      const res = await create(w.staff, {
        caseId: undefined,
        direction: 'incoming',
        kind: 'referral',
        subject,
        legalBasis: 'council_member',
      });
      expect(res.statusCode).toBe(201);
      const referral = res.json();
      expect(referral).toMatchObject({
        status: 'sent',
        direction: 'incoming',
        case: { status: 'intake' },
        responseDueAt: expect.any(String),
      });
      const [c] = await t.db.query(`SELECT status, has_referral FROM cases WHERE id = $1`, [referral.caseId]);
      expect(c).toEqual({ status: 'intake', has_referral: true });
      // The same child again: the duplicate check of intake applies.
      const again = await create(w.staff, {
        caseId: undefined,
        direction: 'incoming',
        kind: 'referral',
        subject,
        legalBasis: 'council_member',
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('possible_duplicate');
    });

    it('an incoming notification (通告) creates its 48-hour safety check, on a new or an existing case', async () => {
      const fresh = await create(w.staff, {
        caseId: undefined,
        direction: 'incoming',
        kind: 'notification',
        urgency: 'emergency',
        subject: intakeBody().subject,
        household: { address: '中央一丁目2-2', members: [] },
      });
      expect(fresh.statusCode).toBe(201);
      const existing = await create(w.counselorA, {
        direction: 'incoming',
        kind: 'notification',
        urgency: 'emergency',
      });
      for (const res of [fresh, existing]) {
        const tasks = await t.db.query(
          `SELECT kind, due_at, created_at FROM tasks WHERE case_id = $1 AND kind = 'safety_check'`,
          [res.json().caseId],
        );
        expect(tasks).toHaveLength(1);
        const hours = (new Date(tasks[0].due_at).getTime() - new Date(tasks[0].created_at).getTime()) / 3_600_000;
        expect(hours).toBeCloseTo(48, 1);
      }
      expect((await create(w.counselorA, { direction: 'outgoing', kind: 'notification' })).statusCode).toBe(400);
    });
  });

  describe('deadlines the system enforces', () => {
    it('a referral sent with a due date in the past becomes overdue, notifies once per day and raises one follow-up task', async () => {
      const pastDue = new Date(Date.now() - 49 * 3_600_000); // two days and an hour ago
      const created = await create(w.counselorA, { responseDueAt: pastDue.toISOString() });
      const id = created.json().id;
      const sent = await move(w.counselorA, id, 'send');
      expect(sent.json()).toMatchObject({ status: 'sent', overdue: true });
      const today = referralOverdueKey(id, new Date(pastDue.toISOString()).getTime(), 2);
      const events = async () =>
        (await t.db.query(`SELECT user_id, event_key FROM notifications WHERE referral_id = $1 ORDER BY event_key`, [
          id,
        ])) as {
          user_id: string;
          event_key: string;
        }[];
      await waitFor(async () => (await events()).length > 0, 15_000);
      // The sweep runs again and again: nothing more today.
      const deadlines = t.app.get(ReferralDeadlineJobs);
      await deadlines.sweep();
      await deadlines.sweep();
      await new Promise((r) => setTimeout(r, 1500));
      const first = await events();
      expect(first.map((e) => e.user_id).sort()).toEqual([w.counselorA.id, w.staff.id].sort());
      expect(new Set(first.map((e) => e.event_key)).size).toBe(1);
      expect(first[0].event_key).toBe(today);
      // The reminder for the next day (run here as its job would run then) notifies again, once.
      await deadlines.overdue({ referralId: id, dueAt: pastDue.toISOString(), day: 3 });
      await deadlines.overdue({ referralId: id, dueAt: pastDue.toISOString(), day: 3 });
      expect(new Set((await events()).map((e) => e.event_key)).size).toBe(2);
      const followUps = await t.db.query(
        `SELECT assignee_id, status FROM tasks WHERE referral_id = $1 AND kind = 'referral_followup'`,
        [id],
      );
      expect(followUps).toEqual([{ assignee_id: w.counselorA.id, status: 'open' }]);
      const overdueList = (
        await call(t, w.staff, { method: 'GET', url: '/api/v1/referrals?overdue=true&limit=100' })
      ).json();
      expect(overdueList.items.map((r: { id: string }) => r.id)).toContain(id);
      // An answer stops it: the follow-up is done and no more reminders come.
      expect((await move(w.staff, id, 'accept')).statusCode).toBe(200);
      expect(await t.db.query(`SELECT status FROM tasks WHERE referral_id = $1`, [id])).toEqual([{ status: 'done' }]);
      expect(await deadlines.overdue({ referralId: id, dueAt: pastDue.toISOString(), day: 4 })).toBe(0);
    });

    it('sets the due date from the urgency when sent (1, 3, 14 days)', async () => {
      for (const [urgency, days] of [
        ['emergency', 1],
        ['priority', 3],
        ['routine', 14],
      ] as const) {
        const id = (await create(w.counselorA, { urgency })).json().id;
        const sent = (await move(w.counselorA, id, 'send')).json();
        const span = (Date.parse(sent.responseDueAt) - Date.parse(sent.sentAt)) / 86_400_000;
        expect([urgency, span]).toEqual([urgency, days]);
      }
    });
  });

  describe('access', () => {
    it('staff list all referrals, see the case header and never summaries or household details', async () => {
      const list = (await call(t, w.staff, { method: 'GET', url: '/api/v1/referrals?limit=100' })).json();
      expect(list.items.length).toBeGreaterThan(5);
      for (const item of list.items) {
        expect(Object.keys(item.case).sort()).toEqual(['districtId', 'id', 'initials', 'number', 'status']);
      }
      const text = JSON.stringify(list);
      for (const absent of ['summary', 'household', 'familyName', 'givenName', 'address', 'birthDate', '登校しぶり']) {
        expect(text).not.toContain(absent);
      }
      const one = await call(t, w.staff, { method: 'GET', url: `/api/v1/referrals/${list.items[0].id}` });
      expect(one.statusCode).toBe(200);
      expect(one.body).not.toMatch(/summary|household|familyName/);
      // ...and through the referral, the case header becomes theirs to see.
      expect((await call(t, w.staff, { method: 'GET', url: `/api/v1/cases/${caseA}` })).json()).not.toHaveProperty(
        'household',
      );
    });

    it('counselors and supervisors: referrals of the cases they can see; 404 otherwise; admins never', async () => {
      const id = (await create(w.counselorA)).json().id;
      expect((await call(t, w.counselorB, { method: 'GET', url: `/api/v1/referrals/${id}` })).statusCode).toBe(404);
      expect((await call(t, w.supervisorB, { method: 'GET', url: `/api/v1/referrals/${id}` })).statusCode).toBe(404);
      expect((await call(t, w.supervisorA, { method: 'GET', url: `/api/v1/referrals/${id}` })).statusCode).toBe(200);
      expect((await call(t, w.leadA, { method: 'GET', url: `/api/v1/referrals/${id}` })).statusCode).toBe(200);
      expect((await move(w.leadA, id, 'send')).statusCode).toBe(403); // can read, not assigned
      expect((await move(w.counselorB, id, 'send')).statusCode).toBe(404);
      expect((await call(t, w.admin, { method: 'GET', url: '/api/v1/referrals' })).statusCode).toBe(403);
      expect((await create(w.admin)).statusCode).toBe(403);
      expect((await create(w.counselorB)).statusCode).toBe(404); // outgoing on a case out of scope
      const bList = (await call(t, w.counselorB, { method: 'GET', url: '/api/v1/referrals?limit=100' })).json();
      expect(bList.items.filter((r: { caseId: string }) => r.caseId === caseA)).toEqual([]);
      expect((await move(w.staff, id, 'send')).statusCode).toBe(200); // staff move any referral
    });

    it('staff create outgoing referrals only on cases whose header they see', async () => {
      const other = (await openCase(t, w.counselorA)).case.id;
      expect((await create(w.staff, { caseId: other })).statusCode).toBe(404);
      expect((await create(w.staff, { caseId: caseA })).statusCode).toBe(201);
    });
  });

  it('completing a case transfer offers closing the case as transferred, through the normal approval', async () => {
    const id = (await create(w.counselorA, { kind: 'case_transfer' })).json().id;
    for (const action of ['send', 'accept', 'start']) await move(w.counselorA, id, action);
    const done = await move(w.counselorA, id, 'complete');
    expect(done.json()).toMatchObject({
      status: 'completed',
      suggestedCaseAction: { action: 'request_closure', closureReason: 'transferred' },
    });
    const [c] = await t.db.query(`SELECT status FROM cases WHERE id = $1`, [caseA]);
    expect(c.status).toBe('active'); // nothing closes without a supervisor's approval
    const requested = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/cases/${caseA}/transitions`,
      payload: { action: 'request_closure', closureReason: 'transferred' },
    });
    expect(requested.json().status).toBe('closure_requested');
  });

  it('honours Idempotency-Key on creation', async () => {
    const before = await count();
    const first = await create(w.counselorA, {}, { 'idempotency-key': 'referral-key-1' });
    const again = await create(w.counselorA, {}, { 'idempotency-key': 'referral-key-1' });
    expect(again.json()).toEqual(first.json());
    expect(await count()).toBe(before + 1);
    expect(
      (await create(w.counselorA, { reason: 'another' }, { 'idempotency-key': 'referral-key-1' })).statusCode,
    ).toBe(422);
  });

  it('refuses bad input with 4xx and changes nothing', async () => {
    const before = await count();
    for (const extra of [
      { direction: 'sideways' },
      { kind: 'gossip' },
      { urgency: 'yesterday' },
      { legalBasis: 'because' },
      { organizationId: 'not-a-uuid' },
      { organizationId: '00000000-0000-4000-8000-000000000000' },
      { responseDueAt: 'soon' },
      { reason: '' },
      { caseId: undefined },
      { direction: 'incoming', caseId: undefined, subject: { familyName: 'x' } },
      { extra: true },
    ]) {
      const res = await create(w.counselorA, extra);
      expect([JSON.stringify(extra), res.statusCode]).toEqual([JSON.stringify(extra), 400]);
    }
    expect((await move(w.counselorA, '00000000-0000-4000-8000-000000000000', 'send')).statusCode).toBe(404);
    expect(await count()).toBe(before);
  });
});
