import { ageBandAt } from '../../src/core/time/business-time';
import { openCase } from '../support/cases';
import { call, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The national age bands at their boundaries (domain.md, "Statistics"), over
 * the API: the day before and the day of the 3rd birthday (at 00:00 in
 * Tokyo, still the day before in UTC), the 1 April school-entry rule for
 * 学齢前 vs 小学生, and a child born on 1 April (早生まれ: a school year
 * earlier than one born on 2 April). The statistics compute the band in SQL
 * (stats_age_band); it must agree with ageBandAt everywhere.
 */
describe('age bands in the statistics', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
  });
  afterAll(async () => t?.close());

  it('puts each child in its band on the consultation date, at the boundaries', async () => {
    const child = (birthDate: string, occurredAt: string) =>
      openCase(t, w.counselorA, { subject: { birthDate }, consultation: { occurredAt } });
    await child('2022-06-10', '2025-06-09T23:59:00+09:00'); // the day before the 3rd birthday: under_3
    await child('2022-06-11', '2025-06-11T00:00:00+09:00'); // 00:00 JST on the 3rd birthday (UTC: the day before): preschool
    await child('2019-04-01', '2025-03-31T12:00:00+09:00'); // born 1 April, the day before school entry: preschool
    await child('2019-04-01', '2025-04-01T12:00:00+09:00'); // born 1 April: first grade from 1 April at 6: elementary
    await child('2019-04-02', '2025-04-01T12:00:00+09:00'); // born 2 April: a year later: preschool
    await child('2018-06-10', '2025-03-31T12:00:00+09:00'); // already 6, school not yet: preschool
    await child('2018-06-10', '2025-04-01T12:00:00+09:00'); // the April after turning 6: elementary
    await child('2012-05-05', '2025-04-01T12:00:00+09:00'); // 7th school year: junior_high
    await child('2010-04-02', '2025-04-01T12:00:00+09:00'); // 9th school year: junior_high
    await child('2010-04-01', '2025-04-01T12:00:00+09:00'); // 10th school year: high_school_or_older
    await openCase(t, w.counselorA, {
      subject: { kind: 'expectant_mother', birthDate: '1995-01-01', expectedDueDate: '2025-09-01' },
      consultation: { occurredAt: '2025-05-01T12:00:00+09:00', consultationType: 'other' },
    }); // a pregnancy case has no child's age: not recorded

    const res = await call(t, w.staff, {
      method: 'GET',
      url: '/api/v1/stats/consultations?from=2025-03-31&to=2025-06-30&by=ageBand',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      rows: { key: { ageBand: string | null }; label: { ageBand: object }; counts: number[] }[];
    }>();
    expect(body.rows.map((r) => [r.key.ageBand, r.counts[0]])).toEqual([
      ['under_3', 1],
      ['preschool', 4],
      ['elementary', 2],
      ['junior_high', 2],
      ['high_school_or_older', 1],
      [null, 1],
    ]);
    expect(body.rows[1].label.ageBand).toEqual({ ja: '3歳〜学齢前', en: '3 to school age' });
  });

  it('computes the same band in SQL as ageBandAt, over leap days and every school-year edge', async () => {
    const rows = (await t.db.query(`
      WITH births AS (
        SELECT d::date AS b FROM generate_series('2006-01-01'::date, '2025-12-31', interval '23 days') d
        UNION SELECT unnest(ARRAY['2012-02-29','2016-02-29','2019-04-01','2019-04-02','2020-03-31','2020-04-01']::date[])
      ), days AS (
        SELECT d::date AS o FROM generate_series('2010-01-01'::date, '2027-12-31', interval '31 days') d
        UNION SELECT make_date(y, md.m, md.d) FROM generate_series(2012, 2027) y,
          (VALUES (2, 28), (3, 1), (3, 31), (4, 1), (4, 2)) md(m, d)
      )
      SELECT to_char(b, 'YYYY-MM-DD') AS b, to_char(o, 'YYYY-MM-DD') AS o, stats_age_band(b, o) AS band
        FROM births, days WHERE o >= b - 400`)) as { b: string; o: string; band: string }[];
    expect(rows.length).toBeGreaterThan(20_000);
    const differ = rows.filter((r) => ageBandAt(r.b, new Date(`${r.o}T12:00:00+09:00`), 'Asia/Tokyo') !== r.band);
    expect(differ).toEqual([]);
  });
});
