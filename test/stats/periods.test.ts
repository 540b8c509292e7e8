import { dateRangePeriod, eraDateLabel, fiscalYearLabel, fiscalYearPeriod } from '../../src/stats/periods';

describe('report periods', () => {
  it('names fiscal years in the era as reports do, 令和元年度 for 2019', () => {
    expect(fiscalYearLabel(2023)).toBe('令和5年度');
    expect(fiscalYearLabel(2020)).toBe('令和2年度');
    expect(fiscalYearLabel(2019)).toBe('令和元年度');
    expect(fiscalYearLabel(2018)).toBe('平成30年度');
    expect(fiscalYearLabel(1989)).toBe('平成元年度');
    expect(() => fiscalYearLabel(1988)).toThrow(RangeError);
  });

  it('names dates in the era in force that day', () => {
    expect(eraDateLabel('2019-04-30')).toBe('平成31年4月30日');
    expect(eraDateLabel('2019-05-01')).toBe('令和元年5月1日');
    expect(eraDateLabel('2026-03-31')).toBe('令和8年3月31日');
  });

  it('starts a fiscal year at 00:00 on 1 April in the business time zone', () => {
    const fy = fiscalYearPeriod(2025, 'Asia/Tokyo');
    expect(fy).toMatchObject({
      key: '2025',
      label: '令和7年度',
      westernLabel: '2025年度',
      from: '2025-04-01',
      to: '2026-03-31',
    });
    expect(fy.start.toISOString()).toBe('2025-03-31T15:00:00.000Z');
    expect(fy.end.toISOString()).toBe('2026-03-31T15:00:00.000Z');
  });

  it('makes a date range inclusive of its last day', () => {
    const p = dateRangePeriod('2024-02-28', '2024-02-29', 'Asia/Tokyo');
    expect(p.start.toISOString()).toBe('2024-02-27T15:00:00.000Z');
    expect(p.end.toISOString()).toBe('2024-02-29T15:00:00.000Z');
    expect(p.label).toBe('令和6年2月28日〜令和6年2月29日');
  });
});
