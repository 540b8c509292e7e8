import { openCase, setCase } from '../support/cases';
import { call, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A row of GET /cases says what the case itself says (GET /cases/{id}): the
 * list reads only the columns its rows answer with (issue 16), and a column
 * left out of that selection would come back missing, not as an error.
 */
describe('GET /cases: each row carries the case as it is', () => {
  let t: TestApp;
  let w: World;
  let id: string;
  let referred: string; // staff see the headers of cases with a referral

  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    id = (
      await openCase(t, w.counselorA, {
        subject: {
          familyName: '森',
          givenName: '葵',
          familyNameKana: 'モリ',
          givenNameKana: 'アオイ',
          birthDate: '2017-03-04',
        },
      })
    ).case.id;
    referred = (
      await openCase(t, w.counselorA, {
        subject: { familyName: '林', givenName: '結衣', familyNameKana: 'ハヤシ', givenNameKana: 'ユイ' },
      })
    ).case.id;
    await setCase(t, referred, { has_referral: true });
    // Values no default gives, so that a column the list forgot cannot match by chance.
    await setCase(t, id, { protection: 'protection_needed', risk: 'high', confidential: true });
  });

  afterAll(() => t.close());

  it('a counselor sees every field of the row, equal to the case detail', async () => {
    const detail = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${id}` })).json();
    const res = await call(t, w.counselorA, { method: 'GET', url: '/api/v1/cases?q=モリ' });
    expect(res.statusCode).toBe(200);
    const rows = res.json<{ items: { id: string }[] }>().items;
    expect(rows.find((r) => r.id === id)).toEqual({
      id,
      number: detail.number,
      status: detail.status,
      districtId: w.districtA,
      primaryCounselorId: w.counselorA.id,
      primaryCounselor: detail.primaryCounselor,
      subjectName: '森 葵',
      subjectNameKana: 'モリ アオイ',
      subjectBirthDate: '2017-03-04',
      mainConsultationType: detail.mainConsultationType,
      protection: 'protection_needed',
      risk: 'high',
      confidential: true,
      openedAt: detail.openedAt,
      version: detail.version,
    });
    expect(detail.primaryCounselor).toEqual(expect.objectContaining({ id: w.counselorA.id }));
  });

  it('staff see the header: number, status, district and the initials in kana', async () => {
    const detail = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${referred}` })).json();
    const res = await call(t, w.staff, { method: 'GET', url: `/api/v1/cases?q=${detail.number}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { id: referred, number: detail.number, status: detail.status, districtId: w.districtA, initials: 'ハ・ユ' },
    ]);
  });
});
