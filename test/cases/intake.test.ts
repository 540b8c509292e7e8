import { DataSource } from 'typeorm';
import { nextCaseNumber } from '../../src/cases/case-numbers';
import { intakeBody, openCase } from '../support/cases';
import { call, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('intake (POST /api/v1/intakes)', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
  });
  afterAll(async () => t?.close());

  const post = (payload: unknown, headers: Record<string, string> = {}, user = w.counselorA) =>
    call(t, user, { method: 'POST', url: '/api/v1/intakes', payload, headers });
  const counts = async () =>
    (
      await t.db.query(
        `SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM consultations)::int AS consultations,
                (SELECT count(*) FROM persons)::int AS persons`,
      )
    )[0] as { cases: number; consultations: number; persons: number };

  it('opens a case in intake with subject, household and first consultation, in the suggested district', async () => {
    const res = await post(intakeBody({ consultation: { occurredAt: '2026-07-06T19:30:00+09:00' } }));
    expect(res.statusCode).toBe(201);
    const { case: c, consultation } = res.json();
    expect(c).toMatchObject({
      number: expect.stringMatching(/^2026-\d{4}$/),
      status: 'intake',
      districtId: w.districtA, // 中央一丁目 is an area of district A
      primaryCounselorId: w.counselorA.id,
      subject: { familyName: '田中', familyNameKana: 'タナカ', birthDate: '2018-05-10', kind: 'child' },
      household: {
        address: '岡山市中央一丁目1-1',
        members: [expect.objectContaining({ relationship: 'mother', givenName: '良子' })],
      },
      mainConsultationType: 'school_refusal',
      consultationTypes: ['school_refusal'],
      protection: 'none',
      version: 1,
    });
    expect(c.recentConsultations).toHaveLength(1);
    // Monday 19:30 is within the Monday hours (until 20:00).
    expect(consultation).toMatchObject({
      isIntake: true,
      afterHours: false,
      counselorId: w.counselorA.id,
      channel: 'phone',
    });
    const tuesday = (await post(intakeBody({ consultation: { occurredAt: '2026-07-07T19:30:00+09:00' } }))).json();
    expect(tuesday.consultation.afterHours).toBe(true);
    // 成人の日 (a national holiday, Monday 2026-01-12) at 10:00: the center is closed.
    const holiday = (await post(intakeBody({ consultation: { occurredAt: '2026-01-12T10:00:00+09:00' } }))).json();
    expect(holiday.consultation.afterHours).toBe(true);
    const events = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${c.id}/events` })).json();
    expect(events.items).toEqual([expect.objectContaining({ kind: 'opened', toStatus: 'intake' })]);
  });

  it('leaves the district open when the address matches none, for the intake meeting to decide', async () => {
    const res = await post(intakeBody({ household: { address: '東京都千代田区1-1', members: [] } }));
    expect(res.statusCode).toBe(201);
    expect(res.json().case.districtId).toBeNull();
  });

  it('finds a likely duplicate across districts whatever the kana script, and opens anyway when confirmed', async () => {
    const first = await openCase(t, w.counselorB, {
      subject: {
        familyNameKana: 'ｻﾄｳ',
        givenNameKana: 'ﾀﾛｳ',
        familyName: '佐藤',
        givenName: '太郎',
        birthDate: '2015-01-20',
        sex: 'male',
      },
      household: { address: '北町 2-2', members: [] },
    });
    const before = await counts();
    for (const [familyNameKana, givenNameKana] of [
      ['さとう', 'たろう'],
      ['サトウ', 'タロウ'],
      ['サ トウ', 'タ ロウ'],
    ]) {
      const res = await post(
        intakeBody({
          subject: { familyNameKana, givenNameKana, birthDate: '2015-01-20', familyName: '佐藤', givenName: '太郎' },
        }),
      );
      expect(res.statusCode).toBe(409);
      // A case of another district is found, but named only by a token to a counselor who may not read it
      // (issue 11, item 1; test/cases/duplicate-tokens.test.ts); its district's supervisor sees it named.
      expect(res.json()).toMatchObject({
        code: 'possible_duplicate',
        candidates: [{ matchToken: expect.any(String) }],
      });
      expect(res.body).not.toContain(first.case.number);
      const sameChild = intakeBody({
        subject: { familyNameKana, givenNameKana, birthDate: '2015-01-20', familyName: '佐藤', givenName: '太郎' },
      });
      const named = await post(sameChild, {}, w.supervisorB);
      expect(named.statusCode).toBe(409);
      expect(named.json()).toMatchObject({
        code: 'possible_duplicate',
        candidates: [
          { caseId: first.case.id, caseNumber: first.case.number, districtId: w.districtB, status: 'intake' },
        ],
      });
      // Candidates show no names.
      expect(res.body + named.body).not.toMatch(/佐藤|太郎|サトウ/);
    }
    expect(await counts()).toEqual(before);
    const other = await post(
      intakeBody({ subject: { familyNameKana: 'サトウ', givenNameKana: 'タロウ', birthDate: '2015-01-21' } }),
    );
    expect(other.statusCode).toBe(201); // another birth date: another child
    const confirmed = await post(
      intakeBody({
        subject: { familyNameKana: 'さとう', givenNameKana: 'たろう', birthDate: '2015-01-20' },
        confirmNew: true,
      }),
    );
    expect(confirmed.statusCode).toBe(201);
    expect(confirmed.json().case.id).not.toBe(first.case.id);
  });

  it('adds the consultation to an existing case with caseId', async () => {
    const opened = await openCase(t, w.counselorA);
    const res = await post({
      caseId: opened.case.id,
      consultation: intakeBody({
        consultation: { consultationType: 'abuse', abuseTypes: ['neglect'], mainAbuser: 'biological_mother' },
      }).consultation,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().case).toMatchObject({
      id: opened.case.id,
      consultationTypes: expect.arrayContaining(['school_refusal', 'abuse']),
      abuseTypes: ['neglect'],
    });
    const list = (
      await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${opened.case.id}/consultations` })
    ).json();
    expect(list.items).toHaveLength(2);
    // Another district's counselor cannot add to it: the case is out of their scope.
    const outsider = await post({ caseId: opened.case.id, consultation: intakeBody().consultation }, {}, w.counselorB);
    expect(outsider.statusCode).toBe(404);
  });

  it('gives 20 concurrent intakes 20 distinct numbers', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => post(intakeBody())));
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const numbers = results.map((r) => r.json().case.number as string);
    expect(new Set(numbers).size).toBe(20);
  });

  it('numbers per Japanese fiscal year, starting again on 1 April (Asia/Tokyo)', async () => {
    const db = t.app.get(DataSource);
    const numberAt = (iso: string) => db.transaction((m) => nextCaseNumber(m, new Date(iso), 'Asia/Tokyo'));
    const march = await numberAt('2027-03-31T23:59:00+09:00');
    const april = await numberAt('2027-04-01T00:00:00+09:00');
    const april2 = await numberAt('2027-04-01T09:00:00+09:00');
    expect(march.fiscalYear).toBe(2026);
    expect(march.number).toMatch(/^2026-\d{4}$/);
    expect(april).toEqual({ fiscalYear: 2027, number: '2027-0001' });
    expect(april2).toEqual({ fiscalYear: 2027, number: '2027-0002' });
  });

  it('replays an Idempotency-Key: same body answers the first response and creates nothing; another body is a 422', async () => {
    const body = intakeBody();
    const key = 'intake-key-0001';
    const first = await post(body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    const before = await counts();
    const again = await post(body, { 'idempotency-key': key });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await counts()).toEqual(before);
    const different = await post(intakeBody(), { 'idempotency-key': key });
    expect(different.statusCode).toBe(422);
    expect(different.json().code).toBe('idempotency_key_reused');
    expect(await counts()).toEqual(before);
    // Concurrent repeats create one case.
    const fresh = intakeBody();
    const racing = await Promise.all([1, 2, 3].map(() => post(fresh, { 'idempotency-key': 'intake-key-0002' })));
    expect(racing.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(racing.map((r) => r.json().case.id)).size).toBe(1);
  });

  const bad: [string, object][] = [
    ['a birth date in the future', { subject: { birthDate: '2099-01-01' } }],
    ['2026-02-30', { subject: { birthDate: '2026-02-30' } }],
    ['an unknown channel', { consultation: { channel: 'pigeon' } }],
    ['an unknown consultation type', { consultation: { consultationType: 'protection' } }],
    [
      'an unknown relationship',
      { household: { address: 'x', members: [{ relationship: 'cousin', familyName: 'a', givenName: 'b' }] } },
    ],
    [
      'abuse types on a non-abuse consultation',
      { consultation: { consultationType: 'parenting', abuseTypes: ['physical'] } },
    ],
    ['an unknown abuse type', { consultation: { consultationType: 'abuse', abuseTypes: ['spiritual'] } }],
    ['a negative duration', { consultation: { durationMinutes: -5 } }],
    ['a time without offset', { consultation: { occurredAt: '2026-06-01T10:00:00' } }],
    ['a time in the future', { consultation: { occurredAt: '2099-06-01T10:00:00+09:00' } }],
    ['kana that is not kana', { subject: { familyNameKana: 'Tanaka' } }],
    ['a child with no birth date', { subject: { birthDate: undefined } }],
    ['an unknown field', { consultation: { mood: 'sad' } }],
    ['a huge summary', { consultation: { summary: 'あ'.repeat(30_000) } }],
    ['a subject that is a string', { subject: 'Tanaka' }],
  ];
  it.each(bad)('refuses %s with 400 and changes nothing', async (_label, override) => {
    const before = await counts();
    const body = intakeBody(override as never) as Record<string, unknown>;
    if (typeof (override as { subject?: unknown }).subject === 'string') body.subject = 'Tanaka';
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: expect.any(Array) });
    expect(await counts()).toEqual(before);
  });

  it('refuses a 1 MiB summary (413) and changes nothing', async () => {
    const before = await counts();
    const res = await post(intakeBody({ consultation: { summary: 'x'.repeat(1024 * 1024) } }));
    expect(res.statusCode).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it('stores SQL and script fragments verbatim and never runs them', async () => {
    const summary = `'); DROP TABLE cases; -- <script>alert("x")</script>`;
    const res = await post(
      intakeBody({ consultation: { summary }, subject: { school: "Robert'); DROP TABLE persons;--" } }),
    );
    expect(res.statusCode).toBe(201);
    const id = res.json().consultation.id;
    const back = await call(t, w.counselorA, { method: 'GET', url: `/api/v1/consultations/${id}` });
    expect(back.json().summary).toBe(summary);
    expect(back.headers['content-type']).toMatch(/application\/json/);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM cases`))[0].n).toBeGreaterThan(0);
  });

  it('staff and admins cannot record intakes', async () => {
    expect((await post(intakeBody(), {}, w.staff)).statusCode).toBe(403);
    expect((await post(intakeBody(), {}, w.admin)).statusCode).toBe(403);
  });

  it('audits the case and consultation it creates, without names', async () => {
    const opened = await openCase(t, w.supervisorA);
    const entries = await t.db.query(
      `SELECT action, entity_type, district_id, summary FROM audit_events WHERE entity_id IN ($1, $2) ORDER BY id`,
      [opened.case.id, opened.consultation.id],
    );
    expect(entries.map((e: { action: string; entity_type: string }) => `${e.action} ${e.entity_type}`)).toEqual([
      'create case',
      'create consultation',
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/田中|花子|タナカ/);
  });
});
