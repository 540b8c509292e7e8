import { EntityManager } from 'typeorm';
import { fiscalYearOf } from '../core/time/business-time';

/**
 * The next case number of the fiscal year of `at` (in the business time zone):
 * `2026-0001` upward, starting again each 1 April. Drawn from the year's
 * sequence (migrations/1796416000000-CaseNumberSequences.ts), which holds no
 * lock, so concurrent intakes do not wait for each other. The gap rule: a
 * number drawn by an intake that then fails is not given again; a year's
 * numbers are unique and increasing, and may skip. Callers draw it as late
 * as they can, just before the case row is written.
 */
export async function nextCaseNumber(
  m: EntityManager,
  at: Date,
  timeZone: string,
): Promise<{ number: string; fiscalYear: number }> {
  const fiscalYear = fiscalYearOf(at, timeZone);
  // `case_number_seq` is also the name the benchmark's baseline looks for (scripts/bench-baseline.js).
  const [row] = (await m.query(`SELECT next_case_number($1) AS case_number_seq`, [fiscalYear])) as {
    case_number_seq: string;
  }[];
  return { number: `${fiscalYear}-${row.case_number_seq.padStart(4, '0')}`, fiscalYear };
}
