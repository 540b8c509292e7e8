import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics and exports (api.md, "Statistics and exports").
 *
 * Speed (quality.md: one fiscal year by type × district over 1,000,000
 * consultations under 500 ms) comes from an index, not a rollup: the report
 * counts the case's *current* district, flags and registration (api.md), so
 * a rollup kept in the write transaction would also have to be rewritten on
 * every reassignment, flag change and registration of a case, and could
 * still not answer the age band or the distinct children. The covering index
 * below lets PostgreSQL read one fiscal year's consultations by range with an
 * index-only scan (every column a report groups or filters on is in it) and
 * hash-join them to the cases they belong to.
 */
export class Statistics1796300000000 implements MigrationInterface {
  name = 'Statistics1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX consultations_stats_idx ON consultations (occurred_at)
        INCLUDE (case_id, channel, route, consultation_type, counselor_id, after_hours, abuse_notification, bullying,
                 main_abuser, abuse_types)`);
    await q.query(`CREATE INDEX cases_closed_idx ON cases (closed_at) WHERE closed_at IS NOT NULL`);

    // The national age band (domain.md, "Statistics") of someone born on
    // `birth` on the local date `on_date`: the SQL twin of ageBandAt in
    // src/core/time/business-time.ts, which test/stats/age-bands.test.ts
    // holds it to. Under 3 by an ordinary birthday count (29 February
    // turns a year older on 1 March in common years); then by school year
    // (1 April – 31 March): a child born 2 April of year c … 1 April of c+1
    // starts elementary school in April of c+7.
    await q.query(`
      CREATE FUNCTION stats_age_band(birth date, on_date date) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE
          WHEN birth IS NULL THEN NULL
          WHEN extract(year FROM age(on_date, birth)) < 3 THEN 'under_3'
          ELSE (
            SELECT CASE
              WHEN grade < 1 THEN 'preschool'
              WHEN grade <= 6 THEN 'elementary'
              WHEN grade <= 9 THEN 'junior_high'
              ELSE 'high_school_or_older'
            END
            FROM (SELECT
              (extract(year FROM on_date)::int - CASE WHEN extract(month FROM on_date) >= 4 THEN 0 ELSE 1 END)
              - ((extract(year FROM birth)::int
                  - CASE WHEN to_char(birth, 'MMDD') >= '0402' THEN 0 ELSE 1 END) + 7) + 1 AS grade) g
          )
        END
      $$`);

    // An export's file lives beside its row until the sweep deletes it
    // (7 days, api.md). Parameters are the validated query, never free text.
    await q.query(`
      CREATE TABLE stats_exports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        report text NOT NULL,
        parameters jsonb NOT NULL,
        format text NOT NULL CHECK (format IN ('csv')),
        status text NOT NULL CHECK (status IN ('queued','running','done','failed')),
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        row_count integer,
        error text,
        file bytea,
        file_name text,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX stats_exports_expiry_idx ON stats_exports (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stats_exports`);
    await q.query(`DROP FUNCTION stats_age_band(date, date)`);
    await q.query(`DROP INDEX cases_closed_idx`);
    await q.query(`DROP INDEX consultations_stats_idx`);
  }
}
