import { loadConfig } from '../../src/core/config/app-config';
import { isAfterHours } from '../../src/core/time/business-time';
import { centerClosingDays, isNationalHoliday, parseClosingDays } from '../../src/core/time/closing-days';

const TOKYO = 'Asia/Tokyo';
const tokyo = (local: string) => new Date(`${local}+09:00`);
const day = (iso: string) => {
  const [year, month, d] = iso.split('-').map(Number);
  return { year, month, day: d };
};
const BASE = { DATABASE_URL: 'postgres://x@localhost/x', REDIS_URL: 'redis://localhost', JWT_SECRET: 'x'.repeat(32) };

describe('closing days (after-hours flag)', () => {
  const closed = centerClosingDays();

  it('knows the national holidays, substitute holidays included', () => {
    expect(isNationalHoliday(day('2027-01-11'))).toBe(true); // 成人の日 (second Monday of January)
    expect(isNationalHoliday(day('2026-11-23'))).toBe(true); // 勤労感謝の日
    expect(isNationalHoliday(day('2026-05-06'))).toBe(true); // 振替休日 for 5/3 on a Sunday
    expect(isNationalHoliday(day('2026-09-22'))).toBe(true); // 国民の休日 between 敬老の日 and 秋分の日
    expect(isNationalHoliday(day('2026-11-24'))).toBe(false);
  });

  it('makes 成人の日 at 10:00 after hours, while the Monday after is within hours', () => {
    expect(isAfterHours(tokyo('2027-01-11T10:00'), TOKYO, undefined, closed)).toBe(true);
    expect(isAfterHours(tokyo('2027-01-18T10:00'), TOKYO, undefined, closed)).toBe(false);
  });

  it('closes over the year end, 29 December to 3 January, by the local date', () => {
    expect(isAfterHours(tokyo('2026-12-28T10:00'), TOKYO, undefined, closed)).toBe(false); // Monday
    expect(isAfterHours(tokyo('2026-12-29T10:00'), TOKYO, undefined, closed)).toBe(true); // Tuesday
    expect(isAfterHours(tokyo('2027-01-01T10:00'), TOKYO, undefined, closed)).toBe(true);
    expect(isAfterHours(tokyo('2027-01-04T10:00'), TOKYO, undefined, closed)).toBe(false); // Monday
    // 2027-01-03T16:00Z is already Monday the 4th, 01:00, in Tokyo: closed only by the hour.
    expect(isAfterHours(new Date('2027-01-04T01:00:00Z'), TOKYO, undefined, closed)).toBe(false);
  });

  it("adds the city's own days: yearly, once, and ranges over the new year", () => {
    const city = centerClosingDays(parseClosingDays('06-01, 2027-05-06, 08-13..08-15, 12-27..01-05'));
    expect(isAfterHours(tokyo('2026-06-01T10:00'), TOKYO, undefined, city)).toBe(true);
    expect(isAfterHours(tokyo('2027-06-01T10:00'), TOKYO, undefined, city)).toBe(true);
    expect(isAfterHours(tokyo('2027-05-06T10:00'), TOKYO, undefined, city)).toBe(true);
    expect(isAfterHours(tokyo('2028-05-08T10:00'), TOKYO, undefined, city)).toBe(false);
    expect(isAfterHours(tokyo('2026-08-14T10:00'), TOKYO, undefined, city)).toBe(true);
    expect(isAfterHours(tokyo('2026-08-17T10:00'), TOKYO, undefined, city)).toBe(false);
    expect(isAfterHours(tokyo('2027-01-05T10:00'), TOKYO, undefined, city)).toBe(true);
    expect(isAfterHours(tokyo('2027-01-06T10:00'), TOKYO, undefined, city)).toBe(false);
  });

  it('refuses malformed closing days at boot, naming CLOSING_DAYS', () => {
    for (const bad of [
      '2027-02-30',
      '13-01',
      '06-01..2027-06-03',
      '2027-06-03..2027-06-01',
      'golden week',
      '1..2..3',
    ]) {
      expect(() => loadConfig({ ...BASE, CLOSING_DAYS: bad })).toThrow(/CLOSING_DAYS: /);
    }
    expect(loadConfig({ ...BASE, CLOSING_DAYS: '02-29,2027-05-06' }).closedDays(day('2028-02-29'))).toBe(true);
  });
});
