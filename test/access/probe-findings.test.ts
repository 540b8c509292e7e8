import { intakeBody, openCase, setCase } from '../support/cases';
import { call, createOrganization, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Scope leaks, closed cases and receipts an outside probe found (issue 11, items 2, 3, 13, 14). */
describe('probe findings', () => {
  let t: TestApp;
  let w: World;
  let org: string;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    org = await createOrganization(t, w.admin, { name: '中央警察署', type: 'police', councilMember: true });
  });
  afterAll(async () => t?.close());

  const incoming = (extra: object = {}) => ({
    direction: 'incoming',
    kind: 'referral',
    organizationId: org,
    reason: '母が夜間不在',
    urgency: 'routine',
    legalBasis: 'council_member',
    sharedInformation: '家族構成と経過の要約',
    ...extra,
  });

  describe('staff filter cases only on what they may see (item 2)', () => {
    it('refuses risk, protection, counselor and overdue filters from staff, and keeps them for counselors', async () => {
      for (const filter of [
        'risk=urgent',
        'protection=none',
        `counselorId=${w.counselorA.id}`,
        'hasOverdueTasks=true',
      ]) {
        const res = await call(t, w.staff, { method: 'GET', url: `/api/v1/cases?${filter}` });
        expect({ filter, status: res.statusCode }).toEqual({ filter, status: 400 });
        expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: filter.split('=')[0] }] });
        expect((await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases?${filter}` })).statusCode).toBe(200);
      }
      for (const filter of ['status=intake', `districtId=${w.districtA}`, 'q=2026']) {
        expect((await call(t, w.staff, { method: 'GET', url: `/api/v1/cases?${filter}` })).statusCode).toBe(200);
      }
    });
  });

  describe("a confidential case's referrals show staff their routing, not their text (item 3)", () => {
    it('hides reason, shared information and event notes from staff, in a read and in a list', async () => {
      const { case: c } = await openCase(t, w.counselorA);
      const created = await call(t, w.counselorA, {
        method: 'POST',
        url: '/api/v1/referrals',
        payload: incoming({ caseId: c.id }),
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().id;
      const plain = (await call(t, w.staff, { method: 'GET', url: `/api/v1/referrals/${id}` })).json();
      expect(plain).toMatchObject({ reason: '母が夜間不在', sharedInformation: '家族構成と経過の要約' });
      await setCase(t, c.id, { confidential: true });
      const read = await call(t, w.staff, { method: 'GET', url: `/api/v1/referrals/${id}` });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({
        organization: { id: org },
        kind: 'referral',
        status: 'sent',
        reason: null,
        sharedInformation: null,
      });
      const list = await call(t, w.staff, { method: 'GET', url: `/api/v1/referrals?caseId=${c.id}` });
      expect(list.json().items).toEqual([expect.objectContaining({ id, reason: null, sharedInformation: null })]);
      expect(read.body + list.body).not.toMatch(/母が夜間不在|家族構成/);
      // Those on the case still read it all.
      const counselor = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/referrals/${id}` })).json();
      expect(counselor).toMatchObject({ reason: '母が夜間不在', sharedInformation: '家族構成と経過の要約' });
    });
  });

  describe('a closed case takes no writes but reopening (item 13)', () => {
    it('answers 409 to edits, assignment, tasks, conferences and contact details, and changes nothing', async () => {
      const { case: c } = await openCase(t, w.counselorA);
      await setCase(t, c.id, {
        status: 'closed',
        district_id: w.districtA,
        primary_counselor_id: w.counselorA.id,
        closed_at: new Date(),
        closure_reason: 'other',
      });
      const { version } = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${c.id}` })).json();
      const before = await t.db.query(
        `SELECT (SELECT row_to_json(c) FROM cases c WHERE id = $1) AS c,
                (SELECT count(*)::int FROM tasks WHERE case_id = $1) AS tasks,
                (SELECT count(*)::int FROM conferences WHERE case_id = $1) AS conferences`,
        [c.id],
      );
      const ifMatch = { 'if-match': `"${version}"` };
      const writes = [
        {
          user: w.counselorA,
          method: 'PATCH',
          url: `/api/v1/cases/${c.id}`,
          headers: ifMatch,
          payload: { protection: 'support_needed' },
        },
        {
          user: w.counselorA,
          method: 'PATCH',
          url: `/api/v1/cases/${c.id}`,
          headers: ifMatch,
          payload: { address: '北町1-1' },
        },
        {
          user: w.counselorA,
          method: 'PATCH',
          url: `/api/v1/cases/${c.id}`,
          headers: ifMatch,
          payload: { subject: { familyName: '佐藤' } },
        },
        {
          user: w.supervisorA,
          method: 'PUT',
          url: `/api/v1/cases/${c.id}/assignment`,
          headers: ifMatch,
          payload: { districtId: w.districtA, primaryCounselorId: w.leadA.id, coCounselorIds: [] },
        },
        {
          user: w.counselorA,
          method: 'POST',
          url: `/api/v1/cases/${c.id}/tasks`,
          payload: {
            kind: 'callback',
            title: '折り返し',
            dueAt: new Date(Date.now() + 86_400_000).toISOString(),
            assigneeId: w.counselorA.id,
          },
        },
        {
          user: w.counselorA,
          method: 'POST',
          url: `/api/v1/cases/${c.id}/conferences`,
          payload: {
            kind: 'case_review',
            heldAt: new Date(Date.now() - 3_600_000).toISOString(),
            attendeeUserIds: [w.counselorA.id],
            attendeeOrganizationIds: [],
            decisions: '継続',
            nextReviewAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          },
        },
        {
          user: w.counselorA,
          method: 'POST',
          url: `/api/v1/cases/${c.id}/moves`,
          payload: { address: '北町2-3', movedOn: '2026-06-01' },
        },
      ] as const;
      for (const { user, ...options } of writes) {
        const res = await call(t, user, {
          ...options,
          headers: { ...('headers' in options ? options.headers : {}) },
        } as never);
        expect({ url: `${options.method} ${options.url}`, status: res.statusCode, code: res.json().code }).toEqual({
          url: `${options.method} ${options.url}`,
          status: 409,
          code: 'conflict',
        });
      }
      const after = await t.db.query(
        `SELECT (SELECT row_to_json(c) FROM cases c WHERE id = $1) AS c,
                (SELECT count(*)::int FROM tasks WHERE case_id = $1) AS tasks,
                (SELECT count(*)::int FROM conferences WHERE case_id = $1) AS conferences`,
        [c.id],
      );
      expect(after).toEqual(before);
      const reopen = await call(t, w.supervisorA, {
        method: 'POST',
        url: `/api/v1/cases/${c.id}/transitions`,
        payload: { action: 'reopen', reason: '再通告' },
      });
      expect(reopen.statusCode).toBe(200);
    });
  });

  describe('a repeated request whose first answer was a receipt (item 14)', () => {
    it('answers the same intake receipt again', async () => {
      const body = intakeBody({ household: { address: '北町 9-9', members: [] } });
      const send = () =>
        call(t, w.supervisorA, {
          method: 'POST',
          url: '/api/v1/intakes',
          payload: body,
          headers: { 'idempotency-key': 'receipt-repeat-1' },
        });
      const first = await send();
      expect(first.statusCode).toBe(201);
      expect(first.json().case).toEqual({
        id: expect.any(String),
        number: expect.any(String),
        status: 'intake',
        districtId: w.districtB,
      });
      const again = await send();
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM cases WHERE id = $1`, [first.json().case.id]))[0].n,
      ).toBe(1);
    });

    it('answers the same incoming-referral receipt again', async () => {
      const payload = incoming({
        subject: intakeBody().subject,
        household: { address: '北町 8-8', members: [] },
      });
      const send = () =>
        call(t, w.supervisorA, {
          method: 'POST',
          url: '/api/v1/referrals',
          payload,
          headers: { 'idempotency-key': 'receipt-repeat-2' },
        });
      const first = await send();
      expect(first.statusCode).toBe(201);
      expect(Object.keys(first.json()).sort()).toEqual(['caseId', 'id', 'status']);
      const again = await send();
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
    });
  });
});
