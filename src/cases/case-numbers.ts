import { EntityManager } from 'typeorm';
import { fiscalYearOf } from '../core/time/business-time';

/**
 * The next case number of the fiscal year of `at` (in the business time zone):
 * `2026-0001` upward, starting again each 1 April. The counter row is
 * incremented in the caller's transaction, so concurrent intakes get distinct
 * numbers (they queue on the row only until the transaction ends).
 */
export async function nextCaseNumber(
  m: EntityManager,
  at: Date,
  timeZone: string,
): Promise<{ number: string; fiscalYear: number }> {
  const fiscalYear = fiscalYearOf(at, timeZone);
  const [row] = (await m.query(
    `INSERT INTO case_number_counters (fiscal_year, last_number) VALUES ($1, 1)
     ON CONFLICT (fiscal_year) DO UPDATE SET last_number = case_number_counters.last_number + 1
     RETURNING last_number`,
    [fiscalYear],
  )) as { last_number: number }[];
  return { number: `${fiscalYear}-${String(row.last_number).padStart(4, '0')}`, fiscalYear };
}
