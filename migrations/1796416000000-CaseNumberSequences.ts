import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Case numbers from a sequence per fiscal year instead of a counter row
 * (issue 16): the row was locked from the intake's numbering to its commit,
 * so concurrent intakes ran one at a time. nextval() holds no lock; the price
 * is the gap rule (README, "Case numbers"): a number drawn by an intake that
 * then fails is not given again, so a year's numbers are unique and
 * increasing but may skip.
 *
 * The service's role owns nothing and so cannot create a sequence; the
 * function runs as its owner (SECURITY DEFINER) and creates the sequence of
 * a year with its first case, under an advisory lock so that two first
 * intakes of a year do not both try.
 */
export class CaseNumberSequences1796416000000 implements MigrationInterface {
  name = 'CaseNumberSequences1796416000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION next_case_number(fiscal_year integer) RETURNS bigint
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        name text := 'case_number_' || fiscal_year;
      BEGIN
        IF fiscal_year NOT BETWEEN 1900 AND 2999 THEN
          RAISE EXCEPTION 'fiscal year % out of range', fiscal_year USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF to_regclass(name) IS NULL THEN
          PERFORM pg_advisory_xact_lock(hashtext('case_number_sequence'), fiscal_year);
          EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', name);
        END IF;
        RETURN nextval(name::regclass);
      END $$`);
    // Carry the counters over: each year's sequence continues after its last number.
    const counters = (await q.query(`SELECT fiscal_year, last_number FROM case_number_counters`)) as {
      fiscal_year: number;
      last_number: number;
    }[];
    for (const c of counters) {
      await q.query(`SELECT next_case_number($1)`, [c.fiscal_year]);
      await q.query(`SELECT setval(format('case_number_%s', $1::int)::regclass, $2)`, [c.fiscal_year, c.last_number]);
    }
    await q.query(`DROP TABLE case_number_counters`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE case_number_counters (fiscal_year integer PRIMARY KEY, last_number integer NOT NULL)`);
    const sequences = (await q.query(
      `SELECT sequencename AS name, last_value FROM pg_sequences WHERE sequencename ~ '^case_number_[0-9]{4}$'`,
    )) as { name: string; last_value: string | null }[];
    for (const s of sequences) {
      await q.query(`INSERT INTO case_number_counters VALUES ($1, $2)`, [
        Number(s.name.slice('case_number_'.length)),
        Number(s.last_value ?? 0),
      ]);
      await q.query(`DROP SEQUENCE "${s.name}"`);
    }
    await q.query(`DROP FUNCTION next_case_number(integer)`);
  }
}
