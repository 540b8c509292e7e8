import { MatchTokens } from '../../src/cases/match-tokens';
import { intakeBody, openCase, setCase } from '../support/cases';
import { call, createOrganization, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The duplicate check names only cases the caller may read; any other match
 * is an opaque token that adds the consultation to it as a receipt
 * (issue 11, item 1).
 */
describe('possible duplicates the caller may not read', () => {
  let t: TestApp;
  let w: World;
  let org: string;
  let hidden: { case: { id: string; number: string } };
  const child = {
    familyNameKana: 'ミヤモト',
    givenNameKana: 'ハルカ',
    familyName: '宮本',
    givenName: '遥',
    birthDate: '2016-03-03',
  };
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    org = await createOrganization(t, w.admin, { name: '北警察署', type: 'police', councilMember: true });
    // A DV family in hiding: a confidential case in district B.
    hidden = await openCase(t, w.counselorB, { subject: child, household: { address: '北町 5-5', members: [] } });
    await setCase(t, hidden.case.id, { confidential: true });
  });
  afterAll(async () => t?.close());

  const intake = (user: World['counselorA'], payload: unknown, headers: Record<string, string> = {}) =>
    call(t, user, { method: 'POST', url: '/api/v1/intakes', payload, headers });
  const sameChild = () => intakeBody({ subject: child, household: { address: '岡山市中央一丁目2-2', members: [] } });

  it('shows a counselor of another district an opaque token, not the case number, district or status', async () => {
    const res = await intake(w.counselorA, sameChild());
    expect(res.statusCode).toBe(409);
    const body = res.json();
    expect(body.code).toBe('possible_duplicate');
    expect(body.candidates).toEqual([{ matchToken: expect.any(String) }]);
    expect(res.body).not.toContain(hidden.case.id);
    expect(res.body).not.toContain(hidden.case.number);
    expect(res.body).not.toContain(w.districtB);
    expect(JSON.stringify(body.candidates)).not.toMatch(/intake|status|caseNumber|districtId/);
  });

  const counts = async (caseId: string) =>
    (
      await t.db.query(
        `SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM persons)::int AS persons,
                (SELECT count(*) FROM consultations WHERE case_id = $1)::int AS consultations,
                (SELECT count(*) FROM notifications)::int AS notifications`,
        [caseId],
      )
    )[0] as { cases: number; persons: number; consultations: number; notifications: number };
  const tokenFor = async (user: World['counselorA']) => {
    const res = await intake(user, sameChild());
    expect(res.statusCode).toBe(409);
    return res.json().candidates[0].matchToken as string;
  };
  const byToken = (matchToken: string) => ({ matchToken, consultation: sameChild().consultation });

  it('names the case as today to someone who may read it', async () => {
    for (const user of [w.counselorB, w.supervisorB]) {
      const res = await intake(user, sameChild());
      expect(res.statusCode).toBe(409);
      expect(res.json().candidates).toEqual([
        { caseId: hidden.case.id, caseNumber: hidden.case.number, districtId: w.districtB, status: 'intake' },
      ]);
    }
  });

  it('adds the consultation by token as a receipt, tells those responsible, and audits it', async () => {
    const token = await tokenFor(w.counselorA);
    const before = await counts(hidden.case.id);
    const send = () => intake(w.counselorA, byToken(token), { 'idempotency-key': 'match-token-1' });
    const res = await send();
    expect(res.statusCode).toBe(201);
    const { case: c, consultation } = res.json();
    expect(c).toEqual({ id: hidden.case.id });
    expect(consultation).toEqual({ id: expect.any(String), caseId: hidden.case.id });
    expect(res.body).not.toContain(hidden.case.number);
    expect(res.body).not.toContain(w.districtB);
    const after = await counts(hidden.case.id);
    expect(after).toMatchObject({
      cases: before.cases,
      persons: before.persons,
      consultations: before.consultations + 1,
    });
    // Its counselor hears of it; its supervisors hear who recorded it (a confidential case).
    const notes = await t.db.query(`SELECT user_id, kind, title, case_id FROM notifications WHERE event_key = $1`, [
      `match_token_consultation:${consultation.id}`,
    ]);
    const to = (id: string) => notes.find((n: { user_id: string }) => n.user_id === id);
    expect(to(w.counselorB.id)).toMatchObject({ kind: 'consultation_by_other', case_id: hidden.case.id });
    expect(to(w.counselorB.id).title).not.toContain('counselor_a');
    expect(to(w.supervisorB.id)).toMatchObject({ kind: 'consultation_by_other', case_id: hidden.case.id });
    expect(to(w.supervisorB.id).title).toContain('Test counselor_a');
    expect(to(w.supervisorA.id)).toBeUndefined();
    expect(to(w.counselorA.id)).toBeUndefined();
    // Audited: the consultation created and the case changed, by whom, via the token; in district B's log.
    const audit = await t.db.query(
      `SELECT action, entity_type, entity_id, district_id, summary FROM audit_events
        WHERE actor_id = $1 AND (entity_id = $2 OR entity_id = $3) ORDER BY id`,
      [w.counselorA.id, hidden.case.id, consultation.id],
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'create', entity_type: 'consultation', entity_id: consultation.id }),
        expect.objectContaining({
          action: 'update',
          entity_type: 'case',
          district_id: w.districtB,
          summary: { via: 'match_token', consultationId: consultation.id },
        }),
        expect.objectContaining({
          action: 'read',
          entity_type: 'case',
          district_id: w.districtB,
          summary: { via: 'duplicate_check', shown: 'match_token' },
        }),
      ]),
    );
    // The same request again (Idempotency-Key) answers the same receipt and records nothing more.
    const again = await send();
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(res.json());
    expect(await counts(hidden.case.id)).toEqual(after);
    // The case is still out of the caller's reach.
    expect((await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${hidden.case.id}` })).statusCode).toBe(
      404,
    );
  });

  it("refuses a forged, altered, expired or someone else's token with a 400, changing nothing", async () => {
    const token = await tokenFor(w.counselorA);
    const tokens = t.app.get(MatchTokens);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const cases: [string, World['counselorA'], string][] = [
      ['forged', w.counselorA, 'A'.repeat(80)],
      ['altered', w.counselorA, flip(token, 20)],
      ['altered tag', w.counselorA, flip(token, token.length - 3)],
      ['expired', w.counselorA, tokens.issue(w.counselorA.id, hidden.case.id, new Date(Date.now() - 31 * 60_000))],
      ["another user's", w.supervisorA, token],
      ['made for another user', w.counselorA, tokens.issue(w.supervisorA.id, hidden.case.id)],
    ];
    const before = await counts(hidden.case.id);
    for (const [label, user, bad] of cases) {
      const res = await intake(user, byToken(bad));
      expect({ label, status: res.statusCode }).toEqual({ label, status: 400 });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'matchToken' }] });
    }
    for (const malformed of ['x', 'not a token!', 42]) {
      const res = await intake(w.counselorA, byToken(malformed as string));
      expect(res.statusCode).toBe(400);
    }
    const both = await intake(w.counselorA, { ...byToken(token), caseId: hidden.case.id });
    expect(both.statusCode).toBe(400);
    expect(await counts(hidden.case.id)).toEqual(before);
    // Staff never record intakes, token or not.
    expect((await intake(w.staff, byToken(token))).statusCode).toBe(403);
  });

  it('gives staff registering an incoming referral a token too, and audits the answer', async () => {
    const res = await call(t, w.staff, {
      method: 'POST',
      url: '/api/v1/referrals',
      payload: {
        direction: 'incoming',
        kind: 'notification',
        organizationId: org,
        reason: '近隣からの通報',
        urgency: 'emergency',
        legalBasis: 'council_member',
        sharedInformation: '経過',
        subject: intakeBody({ subject: child }).subject,
        household: { address: '北町 5-5', members: [] },
      },
    });
    expect(res.json()).toMatchObject({ code: 'possible_duplicate' });
    expect(res.statusCode).toBe(409);
    expect(res.json().candidates).toEqual([{ matchToken: expect.any(String) }]);
    expect(res.body).not.toContain(hidden.case.id);
    expect(res.body).not.toContain(hidden.case.number);
    expect(res.body).not.toContain(w.districtB);
    const audit = await t.db.query(
      `SELECT summary FROM audit_events WHERE actor_id = $1 AND entity_id = $2 AND action = 'read'`,
      [w.staff.id, hidden.case.id],
    );
    expect(audit).toEqual([{ summary: { via: 'duplicate_check', shown: 'match_token' } }]);
  });

  it('documents the 409 candidates and the matchToken field in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs-json' })).json();
    for (const path of ['/api/v1/intakes', '/api/v1/referrals']) {
      expect(doc.paths[path].post.responses['409']).toBeDefined();
    }
    const { schemas } = doc.components;
    const candidate = schemas.Problem.properties.candidates.items.oneOf;
    expect(candidate.map((c: { required: string[] }) => c.required)).toEqual([
      ['caseId', 'caseNumber', 'districtId', 'status'],
      ['matchToken'],
    ]);
    expect(schemas.IntakeDto.properties.matchToken).toMatchObject({ type: 'string' });
  });
});
