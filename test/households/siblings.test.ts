import { intakeBody, openCase } from '../support/cases';
import { call, createWorld, TestUser, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Siblings (issue 13, item 7): one household for the family, each case showing the other's. */
describe('siblings', () => {
  let t: TestApp;
  let w: World;
  let first: { id: string; number: string };
  let householdId: string;

  const family = {
    address: '岡山市中央一丁目1-1',
    members: [
      {
        relationship: 'mother',
        familyName: '田中',
        givenName: '良子',
        familyNameKana: 'タナカ',
        givenNameKana: 'ヨシコ',
      },
    ],
  };

  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    first = (await openCase(t, w.counselorA, { household: family })).case;
    householdId = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${first.id}` })).json().household
      .id;
  });
  afterAll(async () => t?.close());

  const matches = (user: TestUser, payload: object) =>
    call(t, user, { method: 'POST', url: '/api/v1/intakes/household-matches', payload });

  it('offers the household on record when the address and a guardian match, however they are spelled', async () => {
    const res = await matches(w.counselorA, {
      address: '岡山市 中央１丁目１－１',
      members: [
        {
          relationship: 'mother',
          familyName: '田中',
          givenName: '良子',
          familyNameKana: 'たなか',
          givenNameKana: 'よしこ',
        },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [
        {
          householdId,
          cases: [{ caseId: first.id, caseNumber: first.number, districtId: w.districtA, status: 'intake' }],
        },
      ],
    });
    // By the kanji name when no kana is given.
    const byKanji = await matches(w.counselorA, {
      address: family.address,
      members: [{ relationship: 'mother', familyName: '田中', givenName: '良子' }],
    });
    expect(byKanji.json().items).toHaveLength(1);
    const doc = (await t.app.inject({ method: 'GET', url: '/docs-json' })).json();
    const ok = doc.paths['/api/v1/intakes/household-matches'].post.responses['200'];
    expect(ok.content['application/json'].schema.$ref).toMatch(/HouseholdMatchesResponse$/);
  });

  it('names no case the caller may not read, and lets nobody join a household they cannot see', async () => {
    // counselorB works in district B: the family's case in district A is out of their sight (access.md),
    // so the match must not reveal its number, district or status (the duplicate check's rule, issue 11).
    expect((await matches(w.counselorB, family)).json()).toEqual({ items: [] });
    expect((await matches(w.supervisorB, family)).json()).toEqual({ items: [] });
    const [{ n: before }] = await t.db.query(`SELECT count(*)::int AS n FROM cases`);
    const body = intakeBody({ subject: { givenName: '三郎', givenNameKana: 'サブロウ' }, householdId });
    delete (body as { household?: unknown }).household;
    const res = await call(t, w.counselorB, { method: 'POST', url: '/api/v1/intakes', payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'householdId' })]);
    const [{ n: after }] = await t.db.query(`SELECT count(*)::int AS n FROM cases`);
    expect(after).toBe(before);
  });

  it('offers nothing for another address, another guardian, or no guardian at all', async () => {
    const mother = family.members[0];
    for (const payload of [
      { address: '岡山市中央一丁目9-9', members: [mother] },
      { address: family.address, members: [{ ...mother, givenName: '幸子', givenNameKana: 'サチコ' }] },
      { address: family.address, members: [{ ...mother, relationship: 'sibling' }] },
      { address: family.address, members: [] },
    ]) {
      expect((await matches(w.counselorA, payload)).json()).toEqual({ items: [] });
    }
  });

  it('is for those who record intakes, with validated input', async () => {
    for (const user of [w.staff, w.admin]) expect((await matches(user, family)).statusCode).toBe(403);
    for (const payload of [
      { address: family.address },
      { members: [] },
      { ...family, extra: 1 },
      { ...family, address: '' },
    ]) {
      expect((await matches(w.counselorA, payload)).statusCode).toBe(400);
    }
  });

  it('joins the household at intake; each case then shows the other, within scope', async () => {
    const body = intakeBody({
      subject: { givenName: '次郎', givenNameKana: 'ジロウ', birthDate: '2020-02-02' },
      householdId,
    });
    delete (body as { household?: unknown }).household;
    const res = await call(t, w.counselorA, { method: 'POST', url: '/api/v1/intakes', payload: body });
    expect(res.statusCode).toBe(201);
    const second = res.json().case;
    expect(second.household.id).toBe(householdId);
    expect(second.districtId).toBe(w.districtA);
    expect(second.siblingCases).toEqual([{ id: first.id, number: first.number, status: 'intake' }]);
    // The household as each case sees it: the mother, and the other child as a sibling; never the case's own subject.
    const relations = (detail: { household: { members: { relationship: string; givenName: string }[] } }) =>
      detail.household.members.map((p) => [p.relationship, p.givenName]).sort();
    expect(relations(second)).toEqual([
      ['mother', '良子'],
      ['sibling', expect.stringMatching(/^花子/)],
    ]);
    const firstDetail = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${first.id}` })).json();
    expect(firstDetail.siblingCases).toEqual([{ id: second.id, number: second.number, status: 'intake' }]);
    expect(relations(firstDetail)).toEqual([
      ['mother', '良子'],
      ['sibling', '次郎'],
    ]);
    const record = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${first.id}/record` })).json();
    expect(record.case.siblingCases).toEqual([{ id: second.id, number: second.number, status: 'intake' }]);

    // The sibling's case moved to district B: district A no longer sees it beside the first.
    await t.db.query(`UPDATE cases SET district_id = $2, primary_counselor_id = $3 WHERE id = $1`, [
      second.id,
      w.districtB,
      w.counselorB.id,
    ]);
    const again = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${first.id}` })).json();
    expect(again.siblingCases).toEqual([]);
    const fromB = (await call(t, w.counselorB, { method: 'GET', url: `/api/v1/cases/${second.id}` })).json();
    expect(fromB.siblingCases).toEqual([]);
    const supervisorB = (await call(t, w.supervisorB, { method: 'GET', url: `/api/v1/cases/${second.id}` })).json();
    expect(supervisorB.siblingCases).toEqual([]);
  });

  it('refuses an unknown household, or a household given twice, and opens nothing', async () => {
    const [{ n: before }] = await t.db.query(`SELECT count(*)::int AS n FROM cases`);
    const unknown = intakeBody({ householdId: '00000000-0000-4000-8000-000000000000' });
    delete (unknown as { household?: unknown }).household;
    const bad = await call(t, w.counselorA, { method: 'POST', url: '/api/v1/intakes', payload: unknown });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('householdId');
    const both = await call(t, w.counselorA, {
      method: 'POST',
      url: '/api/v1/intakes',
      payload: intakeBody({ householdId }),
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0].field).toBe('household');
    const [{ n: after }] = await t.db.query(`SELECT count(*)::int AS n FROM cases`);
    expect(after).toBe(before);
  });
});
