import { openCase, setCase } from '../support/cases';
import { call, createWorld, TestUser, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/worker';

interface Figures {
  counts: number[];
  householdCounts: number[];
  personCounts: number[];
  nights: number[];
  hours: number[];
}
type Row = Figures & { key: Record<string, unknown> };

/**
 * The services report against a table written down by hand. Recorded over
 * the API:
 *
 *  use  case  household  district  service             dates                  nights hours persons  FY    month
 *  1    A1    H1         A         short_stay          2025-06-10..06-12      2            1        2025  6
 *  2    A2    H1 (sib.)  A         short_stay          2025-06-10..06-12      2            1        2025  6
 *  3    B1    H2         B         short_stay          2026-03-31..04-02      2            1        2025  3
 *  4    B1    H2         B         parent_child_class  2025-12-01                          2        2025  12
 *  5    A1    H1         A         family_support      2026-04-01                    2     2        2026  4
 *  6    B1    H2         B         family_support      2026-05-15                    1.5   1        2026  5
 *  7    A1    H1         A         family_support      2026-05-20                    3     1  cancelled: counts nowhere
 *
 *  FY2025 (令和7年度)  short_stay: 3 uses, 2 households, 3 persons, 6 nights; parent_child_class: 1, 1, 2
 *  FY2026 (令和8年度)  family_support: 2 uses, 2 households, 3 persons, 3.5 hours
 *  supervisor A sees A1 and A2 only: short_stay 2, 1, 2, 4 nights; family_support (FY2026) 1, 1, 2, 2 hours
 */
describe('the services report', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await startTestApp({ WORKER_MODE: 'embedded', RECONCILE_EVERY_MS: '1000' });
    w = await createWorld(t);
    const open = async (counselor: TestUser, district: string) => {
      const { case: c } = await openCase(t, counselor);
      await setCase(t, c.id, { status: 'active', district_id: district, primary_counselor_id: counselor.id });
      return c.id;
    };
    const a1 = await open(w.counselorA, w.districtA);
    const a2 = await open(w.counselorA, w.districtA);
    const b1 = await open(w.counselorB, w.districtB);
    // A2 is A1's sibling: the two cases share a household (domain.md, "People and households").
    await t.db.query(`UPDATE cases SET household_id = (SELECT household_id FROM cases WHERE id = $1) WHERE id = $2`, [
      a1,
      a2,
    ]);
    const record = async (user: TestUser, caseId: string, payload: object) => {
      const res = await call(t, user, { method: 'POST', url: `/api/v1/cases/${caseId}/service-uses`, payload });
      expect(res.statusCode).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const stay = { serviceCode: 'short_stay', startDate: '2025-06-10', endDate: '2025-06-12', nights: 2 };
    await record(w.counselorA, a1, stay);
    await record(w.counselorA, a2, stay);
    await record(w.counselorB, b1, { ...stay, startDate: '2026-03-31', endDate: '2026-04-02' });
    await record(w.counselorB, b1, { serviceCode: 'parent_child_class', startDate: '2025-12-01', persons: 2 });
    await record(w.counselorA, a1, { serviceCode: 'family_support', startDate: '2026-04-01', hours: 2, persons: 2 });
    await record(w.counselorB, b1, { serviceCode: 'family_support', startDate: '2026-05-15', hours: 1.5 });
    const cancelled = await record(w.counselorA, a1, {
      serviceCode: 'family_support',
      startDate: '2026-05-20',
      hours: 3,
    });
    await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/service-uses/${cancelled}/cancel`,
      payload: { reason: '誤登録' },
    });
  });
  afterAll(async () => t?.close());

  const stats = (user: TestUser, query: string) =>
    call(t, user, { method: 'GET', url: `/api/v1/stats/services?${query}` });
  const figures = (r: Figures) => ({
    counts: r.counts,
    householdCounts: r.householdCounts,
    personCounts: r.personCounts,
    nights: r.nights,
    hours: r.hours,
  });
  const zeros = { counts: [0, 0], householdCounts: [0, 0], personCounts: [0, 0], nights: [0, 0], hours: [0, 0] };

  it('counts uses, households, persons, nights and hours per service and fiscal year, as written down', async () => {
    const res = await stats(w.staff, 'fiscalYears=2025,2026');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ periods: { label: string }[]; by: string[]; rows: Row[]; total: Figures }>();
    expect(body.periods.map((p) => p.label)).toEqual(['令和7年度', '令和8年度']);
    expect(body.by).toEqual(['service']);
    const rows = Object.fromEntries(body.rows.map((r) => [r.key.service as string, figures(r)]));
    // every service of the list, zeros included, in list order
    expect(Object.keys(rows)).toEqual([
      'household_visit_support',
      'childcare_support_visit',
      'short_stay',
      'twilight_stay',
      'family_support',
      'parent_child_class',
      'outreach_consultation',
      'other',
    ]);
    expect(rows.short_stay).toEqual({
      counts: [3, 0],
      householdCounts: [2, 0],
      personCounts: [3, 0],
      nights: [6, 0],
      hours: [0, 0],
    });
    expect(rows.parent_child_class).toEqual({
      ...zeros,
      counts: [1, 0],
      householdCounts: [1, 0],
      personCounts: [2, 0],
    });
    expect(rows.family_support).toEqual({
      ...zeros,
      counts: [0, 2],
      householdCounts: [0, 2],
      personCounts: [0, 3],
      hours: [0, 3.5],
    });
    expect(rows.twilight_stay).toEqual(zeros);
    expect(figures(body.total)).toEqual({
      counts: [4, 2],
      householdCounts: [2, 2],
      personCounts: [5, 3],
      nights: [6, 0],
      hours: [0, 3.5],
    });
  });

  it('by month (April first, by the day a use began) and by service and district', async () => {
    const byMonth = (await stats(w.staff, 'fiscalYears=2025&by=month')).json<{ rows: Row[] }>();
    expect(byMonth.rows.map((r) => [r.key.month, r.counts[0]]).filter(([, n]) => n)).toEqual([
      [6, 2],
      [12, 1],
      [3, 1],
    ]);
    expect(byMonth.rows[0].key.month).toBe(4);
    const byDistrict = (await stats(w.staff, 'fiscalYears=2025&by=service,district')).json<{ rows: Row[] }>();
    const stays = byDistrict.rows.filter((r) => r.key.service === 'short_stay');
    expect(stays.map((r) => [r.key.district, r.counts[0], r.householdCounts[0], r.nights[0]])).toEqual([
      [w.districtA, 2, 1, 4],
      [w.districtB, 1, 1, 2],
      [null, 0, 0, 0],
    ]);
  });

  it("a supervisor counts the overseen districts' cases only; counselors are refused", async () => {
    const res = await stats(w.supervisorA, 'fiscalYears=2025,2026');
    expect(res.statusCode).toBe(200);
    const rows = Object.fromEntries(res.json<{ rows: Row[] }>().rows.map((r) => [r.key.service as string, figures(r)]));
    expect(rows.short_stay).toEqual({
      ...zeros,
      counts: [2, 0],
      householdCounts: [1, 0],
      personCounts: [2, 0],
      nights: [4, 0],
    });
    expect(rows.family_support).toEqual({
      ...zeros,
      counts: [0, 1],
      householdCounts: [0, 1],
      personCounts: [0, 2],
      hours: [0, 2],
    });
    expect(rows.parent_child_class).toEqual(zeros);
    expect((await stats(w.counselorA, 'fiscalYears=2025')).statusCode).toBe(403);
    const other = await stats(w.supervisorA, `fiscalYears=2025&districtId=${w.districtB}`);
    expect(other.statusCode).toBe(400);
    for (const bad of [
      'fiscalYears=2025&by=channel',
      'fiscalYears=2025&of=abuse',
      'fiscalYears=2025&consultationType=abuse',
    ]) {
      expect([bad, (await stats(w.staff, bad)).statusCode]).toEqual([bad, 400]);
    }
  });

  it('exports as CSV with Japanese headings, the figures beside the uses', async () => {
    const res = await call(t, w.staff, {
      method: 'POST',
      url: '/api/v1/stats/exports',
      payload: { report: 'services', fiscalYears: '2025,2026', format: 'csv' },
    });
    expect(res.statusCode).toBe(202);
    const { id } = res.json<{ id: string }>();
    await waitFor(
      async () =>
        (await call(t, w.staff, { method: 'GET', url: `/api/v1/stats/exports/${id}` })).json().status === 'done',
    );
    const file = await call(t, w.staff, { method: 'GET', url: `/api/v1/stats/exports/${id}/file` });
    expect([...file.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = file.rawPayload.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toMatch(/^支援サービスの利用実績,期間: 令和7年度（2025年度）、令和8年度（2026年度）,作成日時: /);
    const years = ['令和7年度（2025年度）', '令和8年度（2026年度）'];
    expect(lines[1]).toBe(
      [
        'サービス',
        ...years,
        ...['利用世帯数', '延べ人数', '延べ泊数', '延べ時間数'].flatMap((v) => years.map((y) => `${y} ${v}`)),
      ].join(','),
    );
    expect(lines).toContain('ショートステイ（子育て短期支援）,3,0,2,0,3,0,6,0,0,0');
    expect(lines).toContain('ファミリー・サポート・センター,0,2,0,2,0,3,0,0,0,3.5');
    expect(lines).toContain('合計,4,2,2,2,5,3,6,0,0,3.5');
  });
});
