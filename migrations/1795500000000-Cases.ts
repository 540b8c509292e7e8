import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People and households, cases with their numbering per fiscal year and
 * their timeline, consultations, and the idempotency keys of creating
 * requests (domain.md "People and households", "Cases", "Consultations";
 * api.md "Idempotency").
 */
export class Cases1795500000000 implements MigrationInterface {
  name = 'Cases1795500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE persons (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        family_name text NOT NULL,
        given_name text NOT NULL,
        family_name_kana text,
        given_name_kana text,
        -- Full-width katakana without spaces, so ﾀﾅｶ, たなか and タナカ match (domain.md).
        name_kana_key text,
        birth_date date,
        expected_due_date date,
        sex text,
        school text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX persons_duplicate_idx ON persons (name_kana_key, birth_date)`);
    await q.query(`CREATE INDEX persons_kana_prefix_idx ON persons (name_kana_key text_pattern_ops)`);
    await q.query(`CREATE INDEX persons_name_prefix_idx ON persons ((family_name || given_name) text_pattern_ops)`);

    await q.query(`
      CREATE TABLE households (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        address text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Relationship to the household's first subject (本児); a sibling with a
    // case of their own is a member here and the subject of that case.
    await q.query(`
      CREATE TABLE household_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        household_id uuid NOT NULL REFERENCES households(id),
        person_id uuid NOT NULL REFERENCES persons(id),
        relationship text NOT NULL,
        UNIQUE (household_id, person_id)
      )`);

    await q.query(`
      CREATE TABLE case_number_counters (
        fiscal_year integer PRIMARY KEY,
        last_number integer NOT NULL
      )`);

    await q.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number text NOT NULL UNIQUE,
        fiscal_year integer NOT NULL,
        subject_id uuid NOT NULL REFERENCES persons(id),
        subject_kind text NOT NULL CHECK (subject_kind IN ('child','expectant_mother')),
        household_id uuid NOT NULL REFERENCES households(id),
        status text NOT NULL CHECK (status IN ('intake','assessment','active','monitoring','closure_requested','closed')),
        status_before_closure_request text,
        district_id uuid REFERENCES districts(id),
        primary_counselor_id uuid REFERENCES users(id),
        co_counselor_ids uuid[] NOT NULL DEFAULT '{}',
        -- Everyone assigned, for scope checks (access.md: "a case's assignees").
        assignee_ids uuid[] GENERATED ALWAYS AS (
          CASE WHEN primary_counselor_id IS NULL THEN co_counselor_ids
               ELSE array_prepend(primary_counselor_id, co_counselor_ids) END) STORED,
        main_consultation_type text NOT NULL,
        consultation_types text[] NOT NULL DEFAULT '{}',
        protection text NOT NULL DEFAULT 'none'
          CHECK (protection IN ('none','support_needed','protection_needed','specified_expectant_mother')),
        risk text CHECK (risk IN ('low','medium','high','urgent')),
        abuse_types text[] NOT NULL DEFAULT '{}',
        main_abuser text,
        confidential boolean NOT NULL DEFAULT false,
        young_carer boolean NOT NULL DEFAULT false,
        dv_involved boolean NOT NULL DEFAULT false,
        has_referral boolean NOT NULL DEFAULT false,
        opened_at timestamptz NOT NULL,
        accepted_at timestamptz,
        closed_at timestamptz,
        closure_reason text CHECK (closure_reason IN ('resolved','transferred','moved_away','aged_out','no_contact','other')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX cases_list_idx ON cases (opened_at DESC, id DESC)`);
    await q.query(`CREATE INDEX cases_district_idx ON cases (district_id, opened_at DESC, id DESC)`);
    await q.query(`CREATE INDEX cases_status_idx ON cases (status, district_id)`);
    await q.query(`CREATE INDEX cases_assignees_idx ON cases USING gin (assignee_ids)`);
    await q.query(`CREATE INDEX cases_subject_idx ON cases (subject_id)`);
    await q.query(`CREATE INDEX cases_household_idx ON cases (household_id)`);
    await q.query(`CREATE INDEX cases_number_prefix_idx ON cases (number text_pattern_ops)`);

    await q.query(`
      CREATE TABLE case_events (
        id bigserial PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid REFERENCES users(id),
        kind text NOT NULL,
        action text,
        from_status text,
        to_status text,
        reason text,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX case_events_case_idx ON case_events (case_id, id)`);

    await q.query(`
      CREATE TABLE consultations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        occurred_at timestamptz NOT NULL,
        duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 0 AND 1440),
        counselor_id uuid NOT NULL REFERENCES users(id),
        channel text NOT NULL,
        route text NOT NULL,
        consultation_type text NOT NULL,
        bullying boolean NOT NULL DEFAULT false,
        abuse_types text[] NOT NULL DEFAULT '{}',
        main_abuser text,
        abuse_notification boolean NOT NULL DEFAULT false,
        after_hours boolean NOT NULL,
        summary text NOT NULL,
        next_action text,
        is_intake boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX consultations_case_idx ON consultations (case_id, occurred_at DESC, id DESC)`);
    await q.query(`CREATE INDEX consultations_time_idx ON consultations (occurred_at)`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users(id),
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status_code integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, scope, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'consultations',
      'case_events',
      'cases',
      'case_number_counters',
      'household_members',
      'households',
      'persons',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
