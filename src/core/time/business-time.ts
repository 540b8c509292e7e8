/**
 * Business time: the calendar as the center lives it, in its own time zone
 * (config TZ_BUSINESS, Asia/Tokyo for the reference city), whatever the
 * server's zone. Pure functions; the zone is always a parameter. Local parts
 * come from Intl.DateTimeFormat, so zones with daylight saving time work
 * too, though Japan has none.
 */

import type { AgeBand } from '../../codes/code-lists';

export interface LocalParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0–23 */
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError for an unknown zone, which is what a caller should see.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock date and time of an instant in a time zone. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('localParts: invalid Date');
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year, month, day, hour, minute, second } = parts;
  return { year, month, day, hour, minute, second, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

/** An instant as people at the center read it: `2026-06-03 10:00` on the zone's wall clock. */
export function formatBusinessTime(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

/** Offset of the zone from UTC at an instant, in milliseconds (Tokyo: +9 h). */
function offsetAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const p = localParts(new Date(whole), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

/**
 * The instant at which the wall clock of a zone shows the given local date
 * and time. In a daylight-saving gap or overlap the result is one of the
 * nearby instants; Japan has neither.
 */
export function zonedTimeToInstant(
  local: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number },
  timeZone: string,
): Date {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour ?? 0, local.minute ?? 0, local.second ?? 0);
  const firstGuess = asUtc - offsetAt(asUtc, timeZone);
  const offset = offsetAt(firstGuess, timeZone);
  return new Date(asUtc - offset);
}

// --- Fiscal year ------------------------------------------------------------------

/**
 * The Japanese fiscal year (年度) of an instant: it starts on 1 April local
 * time, so 2027-03-31 23:59 in Tokyo is still fiscal year 2026.
 */
export function fiscalYearOf(instant: Date, timeZone: string): number {
  const { year, month } = localParts(instant, timeZone);
  return month >= 4 ? year : year - 1;
}

/** Fiscal year `fy` as instants: from 1 April fy 00:00 local (inclusive) to 1 April fy+1 00:00 (exclusive). */
export function fiscalYearRange(fy: number, timeZone: string): { start: Date; end: Date } {
  if (!Number.isInteger(fy)) throw new RangeError(`fiscalYearRange: fiscal year must be an integer, got ${fy}`);
  return {
    start: zonedTimeToInstant({ year: fy, month: 4, day: 1 }, timeZone),
    end: zonedTimeToInstant({ year: fy + 1, month: 4, day: 1 }, timeZone),
  };
}

// --- Age bands -----------------------------------------------------------------------

function parseIsoDate(date: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`Not a valid date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

/**
 * The age band (statistics, domain.md) of someone born on `birthDate`, at an
 * instant, by the local date in `timeZone`.
 *
 * - `under_3`: younger than 3 (an ordinary birthday count; someone born on
 *   29 February turns a year older on 1 March in common years). A birth
 *   date in the future (an expected due date) also counts as `under_3`.
 * - otherwise by Japanese school year (学年, 1 April – 31 March): a child
 *   starts elementary school in the first April after reaching 6, and
 *   legally one reaches an age on the day before the birthday, so children
 *   born 2 April – 1 April of the next year share a school year and someone
 *   born on 1 April belongs with the year before (早生まれ). Before
 *   elementary school: `preschool`; grades 1–6 `elementary`; 7–9
 *   `junior_high`; from the 10th school year on `high_school_or_older`,
 *   whether or not the person is at school.
 */
export function ageBandAt(birthDate: string, at: Date, timeZone: string): AgeBand {
  const birth = parseIsoDate(birthDate);
  const today = localParts(at, timeZone);

  const beforeBirthday = today.month < birth.month || (today.month === birth.month && today.day < birth.day);
  const age = today.year - birth.year - (beforeBirthday ? 1 : 0);
  if (age < 3) return 'under_3';

  // School cohort: born 2 April of year c … 1 April of year c+1; grade 1 starts in April of c+7.
  const bornAfterApril1 = birth.month > 4 || (birth.month === 4 && birth.day >= 2);
  const cohort = bornAfterApril1 ? birth.year : birth.year - 1;
  const schoolYear = today.month >= 4 ? today.year : today.year - 1;
  const grade = schoolYear - (cohort + 7) + 1;

  if (grade < 1) return 'preschool';
  if (grade <= 6) return 'elementary';
  if (grade <= 9) return 'junior_high';
  return 'high_school_or_older';
}

// --- Office hours ------------------------------------------------------------------

export const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

/** Opening hours per weekday, "HH:MM-HH:MM" local time (end exclusive, "24:00" allowed), or null when closed. */
export type OfficeHours = Readonly<Record<WeekdayKey, string | null>>;

/**
 * The reference center: phones answered 08:30–20:00 on Mondays and
 * Thursdays, 08:30–17:15 on other weekdays, closed at weekends.
 */
export const DEFAULT_OFFICE_HOURS: OfficeHours = Object.freeze({
  sun: null,
  mon: '08:30-20:00',
  tue: '08:30-17:15',
  wed: '08:30-17:15',
  thu: '08:30-20:00',
  fri: '08:30-17:15',
  sat: null,
});

const TIME_RANGE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** "08:30-17:15" → minutes since local midnight [open, close). */
function parseTimeRange(range: string, day: string): [number, number] {
  const m = TIME_RANGE.exec(range);
  const fail = (why: string): never => {
    throw new Error(`Office hours for ${day}: ${JSON.stringify(range)} ${why}`);
  };
  if (!m) return fail('is not of the form HH:MM-HH:MM (or "closed")');
  const [openH, openM, closeH, closeM] = [m[1], m[2], m[3], m[4]].map(Number);
  if (openH > 23 || openM > 59) fail('has an invalid opening time');
  if (closeH > 24 || closeM > 59 || (closeH === 24 && closeM !== 0)) fail('has an invalid closing time');
  const open = openH * 60 + openM;
  const close = closeH * 60 + closeM;
  if (close <= open) fail('must close after it opens (ranges past midnight are not supported)');
  return [open, close];
}

/**
 * Parses office hours from an environment variable such as
 * `mon=08:30-20:00,tue=08:30-17:15,wed=08:30-17:15,thu=08:30-20:00,fri=08:30-17:15,sat=closed,sun=closed`.
 * All seven days must be given, each once, as HH:MM-HH:MM or `closed`, so
 * a forgotten day is an error rather than a silently closed office.
 * Throws an Error saying what is wrong.
 */
export function parseOfficeHours(spec: string): OfficeHours {
  const hours: Partial<Record<WeekdayKey, string | null>> = {};
  const entries = spec
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq < 0) throw new Error(`Office hours: "${entry}" is not of the form day=HH:MM-HH:MM or day=closed`);
    const day = entry.slice(0, eq).trim().toLowerCase();
    const value = entry
      .slice(eq + 1)
      .trim()
      .toLowerCase();
    if (!(WEEKDAY_KEYS as readonly string[]).includes(day)) {
      throw new Error(`Office hours: unknown day "${day}" (expected one of ${WEEKDAY_KEYS.join(', ')})`);
    }
    const key = day as WeekdayKey;
    if (key in hours) throw new Error(`Office hours: ${key} is given more than once`);
    if (value === 'closed') {
      hours[key] = null;
    } else {
      parseTimeRange(value, key);
      hours[key] = value;
    }
  }
  const missing = WEEKDAY_KEYS.filter((day) => !(day in hours));
  if (missing.length > 0)
    throw new Error(`Office hours: missing ${missing.join(', ')} (use day=closed for a closed day)`);
  return Object.freeze(hours as Record<WeekdayKey, string | null>);
}

/** A local calendar date. */
export type LocalDate = Pick<LocalParts, 'year' | 'month' | 'day'>;

/** Whether the center is closed all day on a local date (holidays, closing days; see closing-days.ts). */
export type ClosedDays = (date: LocalDate) => boolean;

/** No closing days beyond the weekly hours: for callers that only ask about the week. */
export const NO_CLOSED_DAYS: ClosedDays = () => false;

/**
 * Whether an instant falls outside the center's hours (domain.md,
 * consultations: after_hours): on a closing day (national holiday, year-end
 * closure, the city's own days) all day, otherwise by the local weekday and time.
 */
export function isAfterHours(
  instant: Date,
  timeZone: string,
  hours: OfficeHours = DEFAULT_OFFICE_HOURS,
  closedOn: ClosedDays = NO_CLOSED_DAYS,
): boolean {
  const local = localParts(instant, timeZone);
  if (closedOn(local)) return true;
  const day = WEEKDAY_KEYS[local.weekday];
  const range = hours[day];
  if (range === null || range === undefined) return true;
  const [open, close] = parseTimeRange(range, day);
  const minute = local.hour * 60 + local.minute;
  return minute < open || minute >= close;
}
