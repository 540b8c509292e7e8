import { intakeBody, openCase } from '../support/cases';
import { call, createOrganization, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Input an outside probe turned into 500s (issue 11, items 10-12): each must
 * be a 4xx problem+json, and nothing may change.
 */
describe('bad input at the edge', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
  });
  afterAll(async () => t?.close());

  const counts = async () =>
    (
      await t.db.query(
        `SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM consultations)::int AS consultations,
                (SELECT count(*) FROM referrals)::int AS referrals`,
      )
    )[0] as Record<string, number>;

  function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status = 400) {
    expect({ status: res.statusCode, body: res.body }).toMatchObject({ status });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.body) as { code: string; status: number };
    expect(body.status).toBe(status);
    expect(body.code).not.toMatch(/^FST_/);
    expect(res.body).not.toMatch(/FST_/);
    return body;
  }

  describe('NUL characters and lone surrogates (item 10)', () => {
    it('refuses a NUL in an unauthenticated login', async () => {
      const res = await call(t, null, {
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'staff1\u0000', password: 'correct-horse-battery' },
      });
      expect(expectProblem(res).code).toBe('validation_failed');
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'username' })]);
    });

    it('refuses a NUL in a query string', async () => {
      const res = await call(t, w.counselorA, { method: 'GET', url: '/api/v1/cases?q=%00' });
      expect(expectProblem(res).code).toBe('validation_failed');
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'q' })]);
    });

    it('refuses a NUL in any free-text field, however deep, and stores nothing', async () => {
      const before = await counts();
      for (const overrides of [
        { consultation: { summary: 'a\u0000b' } },
        { subject: { school: 'x\u0000' } },
        { household: { address: '岡山市\u0000', members: [] } },
      ]) {
        const res = await call(t, w.counselorA, {
          method: 'POST',
          url: '/api/v1/intakes',
          payload: intakeBody(overrides),
        });
        expect(expectProblem(res).code).toBe('validation_failed');
      }
      const member = await call(t, w.counselorA, {
        method: 'POST',
        url: '/api/v1/intakes',
        payload: intakeBody({
          household: { members: [{ relationship: 'mother', familyName: '田\u0000中', givenName: '良子' }] },
        }),
      });
      expectProblem(member);
      expect(member.json().errors).toEqual([expect.objectContaining({ field: 'household.members[0].familyName' })]);
      expect(await counts()).toEqual(before);
    });

    it('refuses a NUL in a key of an object too', async () => {
      const res = await call(t, w.counselorA, {
        method: 'POST',
        url: '/api/v1/intakes',
        payload: { ...intakeBody(), 'x\u0000': 1 },
      });
      expectProblem(res);
    });

    it('refuses a lone surrogate rather than storing U+FFFD', async () => {
      const before = await counts();
      const res = await call(t, w.counselorA, {
        method: 'POST',
        url: '/api/v1/intakes',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(intakeBody({ consultation: { summary: 'x' } })).replace(
          '"summary":"x"',
          '"summary":"x\\ud800y"',
        ),
      });
      expect(expectProblem(res).code).toBe('validation_failed');
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'consultation.summary' })]);
      expect(await counts()).toEqual(before);
    });
  });

  describe('missing nested objects, deep JSON, cookies, cursors (item 11)', () => {
    it('refuses an intake without subject, household or consultation, or with an array for one', async () => {
      const before = await counts();
      const full = intakeBody();
      for (const payload of [
        {},
        { household: full.household, consultation: full.consultation },
        { subject: full.subject, consultation: full.consultation },
        { subject: full.subject, household: full.household },
        { ...full, consultation: [] },
        { ...full, subject: [full.subject] },
        { ...full, household: 'x' },
      ]) {
        const res = await call(t, w.counselorA, { method: 'POST', url: '/api/v1/intakes', payload });
        expect(expectProblem(res).code).toBe('validation_failed');
      }
      expect(await counts()).toEqual(before);
    });

    it('refuses an incoming referral without subject', async () => {
      const org = await createOrganization(t, w.admin, { name: '中央警察署', type: 'police', councilMember: true });
      const before = await counts();
      const incoming = {
        direction: 'incoming',
        kind: 'referral',
        organizationId: org,
        reason: '専門的な支援が必要',
        urgency: 'routine',
        legalBasis: 'council_member',
        sharedInformation: '家族構成と経過の要約',
      };
      for (const payload of [incoming, { ...incoming, subject: [] }, { ...incoming, subject: null }]) {
        const res = await call(t, w.staff, { method: 'POST', url: '/api/v1/referrals', payload });
        expect(expectProblem(res).code).toBe('validation_failed');
      }
      expect(await counts()).toEqual(before);
    });

    it('refuses JSON nested deeper than any request needs', async () => {
      const deep = (inner: string) => '['.repeat(2000) + inner + ']'.repeat(2000);
      const objects = '{"a":'.repeat(2000) + '1' + '}'.repeat(2000);
      const intake = JSON.stringify(intakeBody());
      for (const [url, payload] of [
        ['/api/v1/auth/login', objects],
        ['/api/v1/intakes', objects],
        ['/api/v1/intakes', intake.replace('"members":[', `"members":[${deep('1')},`)],
        ['/api/v1/intakes', intake.replace('"subject":{', `"subject":{"x":${objects},`)],
        ['/api/v1/intakes', intake.replace('"members":[', `"members":[${deep('{}')},`)],
      ]) {
        const res = await t.app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${w.counselorA.token}` },
          payload,
        });
        expectProblem(res);
      }
    });

    it('refuses a malformed queue-dashboard cookie with a 401', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/admin/queues',
        headers: { cookie: 'tsunagu_queues=%E0%A4%A' },
      });
      expectProblem(res, 401);
    });

    it('refuses an audit cursor beyond bigint', async () => {
      const cursor = Buffer.from(JSON.stringify(['9999999999999999999'])).toString('base64url');
      const res = await call(t, w.admin, { method: 'GET', url: `/api/v1/audit-events?cursor=${cursor}` });
      expect(expectProblem(res).code).toBe('validation_failed');
    });
  });

  describe("Fastify's router errors (item 12)", () => {
    it('answers an over-long path parameter without echoing the URL', async () => {
      const res = await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${'a'.repeat(150)}` });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expectProblem(res, res.statusCode);
      expect(res.body).not.toContain('a'.repeat(100));
    });

    it('answers a broken percent-encoding with a 400 problem', async () => {
      const res = await call(t, w.counselorA, { method: 'GET', url: '/api/v1/cases/aaa%ZZ' });
      expect(expectProblem(res).code).toBe('malformed_request');
    });
  });

  it('still accepts a good intake (nothing above broke the happy path)', async () => {
    const created = await openCase(t, w.counselorA);
    expect(created.case.id).toEqual(expect.any(String));
  });
});
