import { fiscalYearRange, zonedTimeToInstant } from '../core/time/business-time';

/**
 * The columns of a report: fiscal years (1 April – 31 March in TZ_BUSINESS,
 * named by the year they start in) or one range of dates, inclusive.
 */
export interface Period {
  /** `2023` for a fiscal year; `2023-04-01..2023-09-30` for a range of dates. */
  key: string;
  /** As reports write it: 令和5年度, or 令和5年4月1日〜令和5年9月30日. */
  label: string;
  /** The Western year beside it: 2023年度, or 2023-04-01〜2023-09-30. */
  westernLabel: string;
  /** First and last day, inclusive (YYYY-MM-DD). */
  from: string;
  to: string;
  /** The same as instants: [start, end). */
  start: Date;
  end: Date;
}

/** Eras that a fiscal year of this system can fall in, newest first. */
const ERAS = [
  // 令和 began on 2019-05-01; fiscal year 2019 is still called 令和元年度.
  { name: '令和', firstDay: '2019-05-01', firstFiscalYear: 2019 },
  { name: '平成', firstDay: '1989-01-08', firstFiscalYear: 1989 },
] as const;

/** The earliest fiscal year a report may ask for (平成元年度). */
export const FIRST_FISCAL_YEAR = 1989;
export const LAST_FISCAL_YEAR = 2100;

const eraYear = (n: number) => (n === 1 ? '元' : String(n));

/** 2023 → 令和5年度; 2019 → 令和元年度; 2018 → 平成30年度. */
export function fiscalYearLabel(fy: number): string {
  const era = ERAS.find((e) => fy >= e.firstFiscalYear);
  if (!era) throw new RangeError(`No era label for fiscal year ${fy}`);
  return `${era.name}${eraYear(fy - era.firstFiscalYear + 1)}年度`;
}

/** 2019-04-30 → 平成31年4月30日; 2019-05-01 → 令和元年5月1日. */
export function eraDateLabel(date: string): string {
  const era = ERAS.find((e) => date >= e.firstDay);
  if (!era) throw new RangeError(`No era label for ${date}`);
  const [y, m, d] = date.split('-').map(Number);
  return `${era.name}${eraYear(y - Number(era.firstDay.slice(0, 4)) + 1)}年${m}月${d}日`;
}

export function fiscalYearPeriod(fy: number, timeZone: string): Period {
  const { start, end } = fiscalYearRange(fy, timeZone);
  return {
    key: String(fy),
    label: fiscalYearLabel(fy),
    westernLabel: `${fy}年度`,
    from: `${fy}-04-01`,
    to: `${fy + 1}-03-31`,
    start,
    end,
  };
}

/** From the first local day's midnight to the midnight after the last day. */
export function dateRangePeriod(from: string, to: string, timeZone: string): Period {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  const after = new Date(Date.UTC(ty, tm - 1, td + 1));
  return {
    key: `${from}..${to}`,
    label: `${eraDateLabel(from)}〜${eraDateLabel(to)}`,
    westernLabel: `${from}〜${to}`,
    from,
    to,
    start: zonedTimeToInstant({ year: fy, month: fm, day: fd }, timeZone),
    end: zonedTimeToInstant(
      { year: after.getUTCFullYear(), month: after.getUTCMonth() + 1, day: after.getUTCDate() },
      timeZone,
    ),
  };
}
