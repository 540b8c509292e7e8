/**
 * The days the center is closed all day, for the after-hours flag of
 * consultations (domain.md): Japan's national holidays (祝日, including
 * substitute holidays 振替休日 and 国民の休日), the year-end closure of
 * municipal offices (年末年始, 29 December to 3 January), and the city's own
 * closing days from configuration (CLOSING_DAYS).
 *
 * National holidays come from @holiday-jp/holiday_jp, a maintained calendar
 * (updated when the law moves a holiday, as for the 2020 and 2021 Olympics);
 * its table ends in 2050.
 */
import holidayJp from '@holiday-jp/holiday_jp';
import type { ClosedDays, LocalDate } from './business-time';

/** One entry of CLOSING_DAYS: a date range, every year (no year) or once. */
export interface ClosingRange {
  from: { year?: number; month: number; day: number };
  to: { year?: number; month: number; day: number };
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (d: LocalDate) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;

/** The year-end closure (年末年始): municipal offices close 29 December to 3 January. */
function inYearEndClosure(d: LocalDate): boolean {
  return (d.month === 12 && d.day >= 29) || (d.month === 1 && d.day <= 3);
}

export function isNationalHoliday(d: LocalDate): boolean {
  // The package's isHoliday scans every key; the table itself is keyed by date.
  return Object.hasOwn(holidayJp.holidays, isoDate(d));
}

const DAY = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/;

function parseDay(text: string): { year?: number; month: number; day: number } {
  const m = DAY.exec(text);
  if (!m) throw new Error(`"${text}" is not a date (YYYY-MM-DD, or MM-DD for every year)`);
  const [year, month, day] = [m[1] === undefined ? undefined : Number(m[1]), Number(m[2]), Number(m[3])];
  // 2000 is a leap year, so 02-29 is a valid yearly day.
  const check = new Date(Date.UTC(year ?? 2000, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) throw new Error(`"${text}" is not a valid date`);
  return { year, month, day };
}

/**
 * Parses CLOSING_DAYS: comma-separated days or ranges, `YYYY-MM-DD` once or
 * `MM-DD` every year, a range as `from..to` (both of the same form; a yearly
 * range may run over the new year, as `12-28..01-04`). Throws an Error saying
 * what is wrong.
 */
export function parseClosingDays(spec: string): ClosingRange[] {
  return spec
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [fromText, toText, ...rest] = entry.split('..').map((s) => s.trim());
      if (rest.length > 0) throw new Error(`"${entry}" has more than one ".."`);
      const from = parseDay(fromText);
      const to = toText === undefined ? from : parseDay(toText);
      if ((from.year === undefined) !== (to.year === undefined)) {
        throw new Error(`"${entry}" mixes a yearly day (MM-DD) with a dated one (YYYY-MM-DD)`);
      }
      if (from.year !== undefined && isoDate(from as LocalDate) > isoDate(to as LocalDate)) {
        throw new Error(`"${entry}" ends before it starts`);
      }
      return { from, to };
    });
}

function inRange(d: LocalDate, r: ClosingRange): boolean {
  if (r.from.year !== undefined) {
    const key = isoDate(d);
    return isoDate(r.from as LocalDate) <= key && key <= isoDate(r.to as LocalDate);
  }
  const md = (x: { month: number; day: number }) => x.month * 100 + x.day;
  const [from, to, at] = [md(r.from), md(r.to), md(d)];
  return from <= to ? from <= at && at <= to : at >= from || at <= to;
}

/** The center's closing days: national holidays, the year-end closure and the city's own days. */
export function centerClosingDays(cityDays: readonly ClosingRange[] = []): ClosedDays {
  return (d) => isNationalHoliday(d) || inYearEndClosure(d) || cityDays.some((r) => inRange(d, r));
}
