import { intakeBody, openCase, setCase } from '../support/cases';
import { call, createWorld, World } from '../support/fixtures';
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
    org = (
      await call(t, w.admin, {
        method: 'POST',
        url: '/api/v1/organizations',
        payload: { name: '北警察署', kind: 'external', type: 'police', councilMember: true },
      })
    ).json().id;
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
    expect(res.body).not.toMatch(/intake|status/i);
  });
});
