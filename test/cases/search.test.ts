import { intakeBody, openCase } from '../support/cases';
import { addSupervisor, call, createDistrict, createWorld, TestUser, World } from '../support/fixtures';
import { CasesService } from '../../src/cases/cases.service';
import { startTestApp, TestApp } from '../support/test-app';

/** `q` on GET /cases: search that finds the child (issue 13, item 2). */
describe('case search', () => {
  let t: TestApp;
  let w: World;
  let hanako: { id: string; number: string };
  let other: string; // same district, another family
  let north: string; // district B

  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    const c = await openCase(t, w.counselorA, {
      subject: {
        familyName: '山本',
        givenName: '花子',
        familyNameKana: 'ヤマモト',
        givenNameKana: 'ハナコ',
        school: '桜ヶ丘保育園',
      },
      household: {
        address: '岡山市中央一丁目2番3号 桜ヶ丘ハイツ101',
        members: [
          {
            relationship: 'mother',
            familyName: '山本',
            givenName: '良子',
            familyNameKana: 'ヤマモト',
            givenNameKana: 'ヨシコ',
          },
        ],
      },
    });
    hanako = c.case;
    other = (
      await openCase(t, w.counselorA, {
        subject: {
          familyName: '佐藤',
          givenName: '健',
          familyNameKana: 'サトウ',
          givenNameKana: 'ケン',
          school: '中央小学校',
        },
        household: { members: [] },
      })
    ).case.id;
    north = (
      await openCase(t, w.counselorB, {
        subject: {
          familyName: '山本',
          givenName: '花音',
          familyNameKana: 'ヤマモト',
          givenNameKana: 'ハナコ',
          birthDate: '2019-01-01',
        },
        household: { address: '北町1-1', members: [] },
      })
    ).case.id;
  });
  afterAll(async () => t?.close());

  const search = async (user: TestUser, q: string) => {
    const res = await call(t, user, { method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent(q)}` });
    expect(res.statusCode).toBe(200);
    return res.json().items.map((c: { id: string }) => c.id) as string[];
  };

  it('finds the child by the given name alone, in kana of any script or width, or in kanji', async () => {
    for (const q of ['ハナコ', 'はなこ', 'ﾊﾅｺ', 'ハ ナ コ', '花子', '花', 'ヤマモトハナコ', '山本 花子', 'やまもと']) {
      expect(await search(w.counselorA, q)).toContain(hanako.id);
    }
    expect(await search(w.counselorA, 'ハナコ')).not.toContain(other);
  });

  it("finds the child by a guardian's name, the nursery, or part of the address, however it is spelled", async () => {
    for (const q of [
      '良子',
      'ヨシコ',
      '桜ヶ丘保育園',
      '保育園',
      '桜ケ丘',
      '桜が丘',
      '中央1丁目2',
      '中央１－２－３',
      'ハイツ101',
      'ﾊｲﾂ',
    ]) {
      expect(await search(w.counselorA, q)).toEqual([hanako.id]);
    }
    expect(await search(w.counselorA, '中央小')).toEqual([other]);
  });

  it('stays within scope: another district finds only its own', async () => {
    expect(await search(w.counselorB, 'ハナコ')).toEqual([north]);
    expect(await search(w.supervisorB, '桜ヶ丘')).toEqual([]);
    expect((await search(w.supervisorA, 'ハナコ')).sort()).toEqual([hanako.id]);
  });

  it('searches staff by case number only, never by name', async () => {
    await t.db.query(`UPDATE cases SET has_referral = true WHERE id = $1`, [hanako.id]);
    expect(await search(w.staff, 'ハナコ')).toEqual([]);
    expect(await search(w.staff, hanako.number)).toEqual([hanako.id]);
  });

  it('takes LIKE wildcards and quotes literally', async () => {
    for (const q of ['%', '_', "'", '\\']) expect(await search(w.counselorA, q)).toEqual([]);
    const res = await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases?q=${'x'.repeat(51)}` });
    expect(res.statusCode).toBe(400);
  });

  it('keeps the search key in step when the subject or the address changes', async () => {
    const detail = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${other}` })).json();
    const res = await call(t, w.counselorA, {
      method: 'PATCH',
      url: `/api/v1/cases/${other}`,
      headers: { 'if-match': `"${detail.version}"` },
      payload: { subject: { givenName: '健太', givenNameKana: 'ケンタ' }, address: '岡山市中央一丁目 井之頭荘' },
    });
    expect(res.statusCode).toBe(200);
    expect(await search(w.counselorA, 'けんた')).toEqual([other]);
    expect(await search(w.counselorA, '井の頭')).toEqual([other]);
  });

  it('finds a family by a sibling who joined its household later (the case search key follows the members)', async () => {
    const [{ household_id: householdId }] = await t.db.query(`SELECT household_id FROM cases WHERE id = $1`, [
      hanako.id,
    ]);
    const { household: _household, ...body } = intakeBody({
      subject: { familyName: '山本', givenName: '蒼空', familyNameKana: 'ヤマモト', givenNameKana: 'ソラ' },
    });
    const sibling = await call(t, w.counselorA, {
      method: 'POST',
      url: '/api/v1/intakes',
      payload: { ...body, householdId },
    });
    expect(sibling.statusCode).toBe(201);
    expect((await search(w.counselorA, 'そら')).sort()).toEqual([hanako.id, sibling.json().case.id].sort());
  });

  it('finds the same cases whichever probe decides the query: rare in the city, common here, common in the city only', async () => {
    const rare = (await search(w.counselorA, 'ヤマモト')).sort();
    expect(rare).toContain(hanako.id);
    // A case of district B matches too: the word is commoner in the city than among counselor A's cases.
    expect(rare).not.toContain(north);
    expect(await search(w.counselorB, 'ヤマモト')).toContain(north);
    const { rareSearchMatches, fairShare } = CasesService;
    try {
      // Every word is common, and counselor A's share of it fair: the list walks in its order with a filter.
      CasesService.rareSearchMatches = 1;
      CasesService.fairShare = 0;
      expect((await search(w.counselorA, 'ヤマモト')).sort()).toEqual(rare);
      // Common in the city, never a fair share here: every match counselor A may see, read by id.
      CasesService.rareSearchMatches = rare.length + 1;
      CasesService.fairShare = 2;
      expect((await search(w.counselorA, 'ヤマモト')).sort()).toEqual(rare);
    } finally {
      Object.assign(CasesService, { rareSearchMatches, fairShare });
    }
  });

  it('resolves districts with the same spellings as the search (桜ヶ丘 = 桜ケ丘 = 桜が丘)', async () => {
    const sakura = await createDistrict(t, 'sakura', ['桜ヶ丘']);
    await addSupervisor(t, sakura, w.supervisorA.id);
    for (const address of ['岡山市桜ケ丘1-2', '岡山市桜が丘１丁目', '岡山市桜ヵ丘']) {
      const res = await call(t, w.counselorA, {
        method: 'GET',
        url: `/api/v1/districts/resolve?address=${encodeURIComponent(address)}`,
      });
      expect(res.json().id).toBe(sakura);
    }
  });
});
