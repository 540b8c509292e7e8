import {
  ageBandAt,
  DEFAULT_OFFICE_HOURS,
  fiscalYearOf,
  fiscalYearRange,
  isAfterHours,
  localParts,
  parseOfficeHours,
  zonedTimeToInstant,
} from '../../src/core/time/business-time';

const TOKYO = 'Asia/Tokyo';
/** A wall-clock time in Tokyo (UTC+9, no DST) as an instant. */
const tokyo = (local: string) => new Date(`${local}+09:00`);

describe('localParts', () => {
  it('gives the wall clock in the zone, whatever the server zone', () => {
    expect(localParts(new Date('2027-03-31T15:00:00Z'), TOKYO)).toEqual({
      year: 2027,
      month: 4,
      day: 1,
      hour: 0,
      minute: 0,
      second: 0,
      weekday: 4, // Thursday
    });
    expect(localParts(new Date('2027-03-31T15:00:00Z'), 'UTC')).toMatchObject({ month: 3, day: 31, hour: 15 });
  });

  it('gives weekday 0 for Sunday and hour 0 at midnight', () => {
    expect(localParts(tokyo('2026-11-22T00:00'), TOKYO)).toMatchObject({ weekday: 0, hour: 0 });
  });

  it('rejects an unknown zone', () => {
    expect(() => localParts(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('zonedTimeToInstant', () => {
  it('inverts localParts, also across a DST change', () => {
    expect(zonedTimeToInstant({ year: 2027, month: 4, day: 1 }, TOKYO).toISOString()).toBe('2027-03-31T15:00:00.000Z');
    expect(zonedTimeToInstant({ year: 2026, month: 7, day: 1, hour: 12 }, 'Europe/Berlin').toISOString()).toBe(
      '2026-07-01T10:00:00.000Z',
    );
    expect(zonedTimeToInstant({ year: 2026, month: 1, day: 1, hour: 12 }, 'Europe/Berlin').toISOString()).toBe(
      '2026-01-01T11:00:00.000Z',
    );
  });
});

describe('fiscal year', () => {
  it('puts 2027-03-31 23:59 Tokyo in FY2026 and 2027-04-01 00:00 in FY2027', () => {
    expect(fiscalYearOf(tokyo('2027-03-31T23:59:59.999'), TOKYO)).toBe(2026);
    expect(fiscalYearOf(tokyo('2027-04-01T00:00'), TOKYO)).toBe(2027);
  });

  it('uses the local date, not UTC', () => {
    // 2027-03-31T16:00Z is 1 April 01:00 in Tokyo but still 31 March in UTC.
    expect(fiscalYearOf(new Date('2027-03-31T16:00:00Z'), TOKYO)).toBe(2027);
    expect(fiscalYearOf(new Date('2027-03-31T16:00:00Z'), 'UTC')).toBe(2026);
  });

  it('gives a January date the previous year', () => {
    expect(fiscalYearOf(tokyo('2027-01-15T12:00'), TOKYO)).toBe(2026);
  });

  it('ranges from 1 April 00:00 local (inclusive) to the next 1 April (exclusive)', () => {
    const { start, end } = fiscalYearRange(2026, TOKYO);
    expect(start.toISOString()).toBe('2026-03-31T15:00:00.000Z');
    expect(end.toISOString()).toBe('2027-03-31T15:00:00.000Z');
    expect(fiscalYearOf(start, TOKYO)).toBe(2026);
    expect(fiscalYearOf(new Date(end.getTime() - 1), TOKYO)).toBe(2026);
    expect(fiscalYearOf(end, TOKYO)).toBe(2027);
  });

  it('rejects a non-integer year', () => {
    expect(() => fiscalYearRange(2026.5, TOKYO)).toThrow(RangeError);
  });
});

describe('ageBandAt', () => {
  const at = (local: string) => tokyo(`${local}T12:00`);

  it('is under_3 until the third birthday, preschool from it', () => {
    expect(ageBandAt('2023-06-10', at('2026-06-09'), TOKYO)).toBe('under_3');
    expect(ageBandAt('2023-06-10', at('2026-06-10'), TOKYO)).toBe('preschool');
    expect(ageBandAt('2026-01-01', at('2026-01-01'), TOKYO)).toBe('under_3');
  });

  it('counts an expected due date in the future as under_3', () => {
    expect(ageBandAt('2027-02-01', at('2026-11-01'), TOKYO)).toBe('under_3');
  });

  it('uses the local date of the instant', () => {
    // 2026-06-09T15:30Z is 10 June 00:30 in Tokyo: the third birthday.
    expect(ageBandAt('2023-06-10', new Date('2026-06-09T15:30:00Z'), TOKYO)).toBe('preschool');
    expect(ageBandAt('2023-06-10', new Date('2026-06-09T15:30:00Z'), 'UTC')).toBe('under_3');
  });

  it('starts elementary school in the April after turning 6, not on the birthday', () => {
    // Born 10 June 2019: turns 6 on 10 June 2025, first grade from April 2026.
    expect(ageBandAt('2019-06-10', at('2025-06-10'), TOKYO)).toBe('preschool');
    expect(ageBandAt('2019-06-10', at('2026-03-31'), TOKYO)).toBe('preschool');
    expect(ageBandAt('2019-06-10', at('2026-04-01'), TOKYO)).toBe('elementary');
  });

  it('puts a child born on 1 April in the earlier school year, and one born on 2 April in the later', () => {
    // Born 1 April 2019: first grade from April 2025 (with those born 2 April 2018 – 1 April 2019).
    expect(ageBandAt('2019-04-01', at('2025-03-31'), TOKYO)).toBe('preschool');
    expect(ageBandAt('2019-04-01', at('2025-04-01'), TOKYO)).toBe('elementary');
    expect(ageBandAt('2018-04-02', at('2025-04-01'), TOKYO)).toBe('elementary');
    // Born 2 April 2019: first grade only from April 2026.
    expect(ageBandAt('2019-04-02', at('2025-04-01'), TOKYO)).toBe('preschool');
    expect(ageBandAt('2019-04-02', at('2026-03-31'), TOKYO)).toBe('preschool');
    expect(ageBandAt('2019-04-02', at('2026-04-01'), TOKYO)).toBe('elementary');
    // Born 1 April 2020 is in the same school year as 2 April 2019.
    expect(ageBandAt('2020-04-01', at('2026-03-31'), TOKYO)).toBe('preschool');
    expect(ageBandAt('2020-04-01', at('2026-04-01'), TOKYO)).toBe('elementary');
  });

  it('moves to junior high after six school years and to high school or older after nine', () => {
    // Cohort entering elementary in April 2026.
    expect(ageBandAt('2019-06-10', at('2032-03-31'), TOKYO)).toBe('elementary');
    expect(ageBandAt('2019-06-10', at('2032-04-01'), TOKYO)).toBe('junior_high');
    expect(ageBandAt('2019-06-10', at('2035-03-31'), TOKYO)).toBe('junior_high');
    expect(ageBandAt('2019-06-10', at('2035-04-01'), TOKYO)).toBe('high_school_or_older');
    expect(ageBandAt('1990-01-01', at('2026-04-01'), TOKYO)).toBe('high_school_or_older');
  });

  it('treats the school year boundary by local time', () => {
    // 2026-03-31T15:00Z is 1 April 00:00 in Tokyo.
    expect(ageBandAt('2019-06-10', new Date('2026-03-31T15:00:00Z'), TOKYO)).toBe('elementary');
    expect(ageBandAt('2019-06-10', new Date('2026-03-31T14:59:59Z'), TOKYO)).toBe('preschool');
  });

  it('handles a 29 February birthday', () => {
    expect(ageBandAt('2024-02-29', at('2027-02-28'), TOKYO)).toBe('under_3');
    expect(ageBandAt('2024-02-29', at('2027-03-01'), TOKYO)).toBe('preschool');
  });

  it('rejects a malformed or impossible birth date', () => {
    for (const bad of ['2019-6-10', '2019/06/10', '2019-02-30', '2019-13-01', '']) {
      expect(() => ageBandAt(bad, at('2026-04-01'), TOKYO)).toThrow(RangeError);
    }
  });
});

describe('office hours', () => {
  it('answers until 20:00 on Mondays but closes at 17:15 on Tuesdays', () => {
    // 2026-11-23 is a Monday, 2026-11-24 a Tuesday.
    expect(isAfterHours(tokyo('2026-11-23T19:59'), TOKYO, DEFAULT_OFFICE_HOURS)).toBe(false);
    expect(isAfterHours(tokyo('2026-11-24T19:59'), TOKYO, DEFAULT_OFFICE_HOURS)).toBe(true);
    expect(isAfterHours(tokyo('2026-11-23T20:00'), TOKYO, DEFAULT_OFFICE_HOURS)).toBe(true);
    expect(isAfterHours(tokyo('2026-11-24T17:14'), TOKYO, DEFAULT_OFFICE_HOURS)).toBe(false);
    expect(isAfterHours(tokyo('2026-11-24T17:15'), TOKYO, DEFAULT_OFFICE_HOURS)).toBe(true);
  });

  it('opens at 08:30 and answers until 20:00 on Thursdays', () => {
    expect(isAfterHours(tokyo('2026-11-26T08:29'), TOKYO)).toBe(true);
    expect(isAfterHours(tokyo('2026-11-26T08:30'), TOKYO)).toBe(false);
    expect(isAfterHours(tokyo('2026-11-26T19:59'), TOKYO)).toBe(false);
    expect(isAfterHours(tokyo('2026-11-27T19:59'), TOKYO)).toBe(true); // Friday
  });

  it('is closed at weekends', () => {
    expect(isAfterHours(tokyo('2026-11-28T10:00'), TOKYO)).toBe(true); // Saturday
    expect(isAfterHours(tokyo('2026-11-29T10:00'), TOKYO)).toBe(true); // Sunday
  });

  it('uses the local weekday: Monday 19:59 in Tokyo is Monday 10:59 UTC', () => {
    const mondayEvening = new Date('2026-11-23T10:59:00Z');
    expect(isAfterHours(mondayEvening, TOKYO)).toBe(false);
    expect(isAfterHours(mondayEvening, 'UTC')).toBe(false);
    const tuesdayEvening = new Date('2026-11-24T10:59:00Z');
    expect(isAfterHours(tuesdayEvening, TOKYO)).toBe(true);
    expect(isAfterHours(tuesdayEvening, 'UTC')).toBe(false);
  });

  it('parses an environment string', () => {
    const hours = parseOfficeHours(
      'mon=08:30-20:00, tue=08:30-17:15,wed=08:30-17:15,thu=08:30-20:00,fri=08:30-17:15,sat=closed,sun=closed',
    );
    expect(hours).toEqual(DEFAULT_OFFICE_HOURS);
    const saturdayMorning = parseOfficeHours(
      'MON=09:00-17:00,tue=09:00-17:00,wed=09:00-17:00,thu=09:00-17:00,fri=09:00-17:00,sat=09:00-12:00,sun=CLOSED',
    );
    expect(isAfterHours(tokyo('2026-11-28T11:59'), TOKYO, saturdayMorning)).toBe(false);
    expect(isAfterHours(tokyo('2026-11-28T12:00'), TOKYO, saturdayMorning)).toBe(true);
    expect(isAfterHours(tokyo('2026-11-23T17:30'), TOKYO, saturdayMorning)).toBe(true);
  });

  it('accepts 24:00 as a closing time', () => {
    const allDay = parseOfficeHours(
      'mon=00:00-24:00,tue=closed,wed=closed,thu=closed,fri=closed,sat=closed,sun=closed',
    );
    expect(isAfterHours(tokyo('2026-11-23T23:59'), TOKYO, allDay)).toBe(false);
    expect(isAfterHours(tokyo('2026-11-23T00:00'), TOKYO, allDay)).toBe(false);
  });

  const week = 'tue=closed,wed=closed,thu=closed,fri=closed,sat=closed,sun=closed';
  it.each([
    ['mon=8:30-17:00,' + week, /mon.*HH:MM-HH:MM/],
    ['mon=08:30-25:00,' + week, /invalid closing time/],
    ['mon=08:60-17:00,' + week, /invalid opening time/],
    ['mon=17:00-08:30,' + week, /must close after it opens/],
    ['mon=08:30-08:30,' + week, /must close after it opens/],
    ['mon=open,' + week, /HH:MM-HH:MM/],
    ['mon=08:30-17:00,mon=closed,' + week, /mon is given more than once/],
    ['mon=08:30-17:00,thr=closed,' + week, /unknown day "thr"/],
    ['mon 08:30-17:00,' + week, /not of the form day=/],
    [week, /missing mon/],
    ['', /missing sun, mon, tue, wed, thu, fri, sat/],
  ])('rejects %j', (spec, message) => {
    expect(() => parseOfficeHours(spec)).toThrow(message);
  });
});
