import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Support plans (サポートプラン) in versions, the center's services as a code
 * list the city extends, each recorded use of a service, and the flags the
 * unplanned-case rule raised (docs/domain.md, "Support plans", "Services").
 */
export class SupportPlans1796214000000 implements MigrationInterface {
  name = 'SupportPlans1796214000000';

  async up(q: QueryRunner): Promise<void> {
    // A code list held as data, because the city adds its own services.
    await q.query(`
      CREATE TABLE services (
        code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
        label_ja text NOT NULL,
        label_en text NOT NULL,
        measure text NOT NULL CHECK (measure IN ('none','nights','hours')),
        sort_order integer NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`
      INSERT INTO services (code, label_ja, label_en, measure, sort_order) VALUES
        ('household_visit_support', '子育て世帯訪問支援', 'Home help for child-rearing households', 'hours', 10),
        ('childcare_support_visit', '養育支援訪問', 'Parenting support home visits', 'none', 20),
        ('short_stay', 'ショートステイ（子育て短期支援）', 'Short stay', 'nights', 30),
        ('twilight_stay', 'トワイライトステイ（夜間養護等）', 'Twilight stay', 'none', 40),
        ('family_support', 'ファミリー・サポート・センター', 'Family support center', 'hours', 50),
        ('parent_child_class', '親子教室', 'Parent and child class', 'none', 60),
        ('outreach_consultation', '巡回相談', 'Outreach consultation', 'none', 70),
        ('other', 'その他', 'Other', 'none', 1000)`);

    await q.query(`
      CREATE TABLE support_plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        -- 1, 2, ... per case: a revision is a new version; earlier ones are kept, read-only.
        version_number integer NOT NULL CHECK (version_number > 0),
        status text NOT NULL CHECK (status IN ('draft','submitted','approved','superseded')),
        subject_wishes text NOT NULL DEFAULT '',
        guardian_wishes text NOT NULL DEFAULT '',
        needs text NOT NULL,
        goals jsonb NOT NULL DEFAULT '[]',
        supports jsonb NOT NULL DEFAULT '[]',
        -- NULL: the center itself leads.
        lead_agency_id uuid REFERENCES organizations(id),
        next_review_at timestamptz NOT NULL,
        drafted_by uuid NOT NULL REFERENCES users(id),
        submitted_at timestamptz,
        submitted_by uuid REFERENCES users(id),
        approved_at timestamptz,
        approved_by uuid REFERENCES users(id),
        returned_at timestamptz,
        returned_by uuid REFERENCES users(id),
        return_reason text,
        superseded_at timestamptz,
        explained_on date,
        explained_by uuid REFERENCES users(id),
        agreed_by text,
        agreement_note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        UNIQUE (case_id, version_number)
      )`);
    // At most one version in the making and one in force per case.
    await q.query(
      `CREATE UNIQUE INDEX support_plans_open_idx ON support_plans (case_id) WHERE status IN ('draft','submitted')`,
    );
    await q.query(`CREATE UNIQUE INDEX support_plans_current_idx ON support_plans (case_id) WHERE status = 'approved'`);

    await q.query(`
      CREATE TABLE service_uses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        service_code text NOT NULL REFERENCES services(code),
        -- The plan in force when the use was recorded, if any.
        plan_id uuid REFERENCES support_plans(id),
        start_date date NOT NULL,
        end_date date NOT NULL,
        nights integer CHECK (nights BETWEEN 1 AND 366),
        hours numeric(6,1) CHECK (hours > 0 AND hours <= 744),
        persons integer NOT NULL DEFAULT 1 CHECK (persons BETWEEN 1 AND 20),
        -- NULL: the center itself provided it.
        provider_organization_id uuid REFERENCES organizations(id),
        note text,
        status text NOT NULL DEFAULT 'recorded' CHECK (status IN ('recorded','cancelled')),
        recorded_by uuid NOT NULL REFERENCES users(id),
        cancelled_at timestamptz,
        cancelled_by uuid REFERENCES users(id),
        cancel_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (end_date >= start_date)
      )`);
    await q.query(`CREATE INDEX service_uses_case_idx ON service_uses (case_id, start_date DESC, id DESC)`);
    // The services report reads recorded uses by start date.
    await q.query(`CREATE INDEX service_uses_date_idx ON service_uses (start_date) WHERE status = 'recorded'`);
    await q.query(`CREATE INDEX service_uses_plan_idx ON service_uses (plan_id) WHERE plan_id IS NOT NULL`);

    // The unplanned-case rule flags a case once per stretch in `active` (since when it became active).
    await q.query(`
      CREATE TABLE unplanned_case_flags (
        case_id uuid NOT NULL REFERENCES cases(id),
        active_since timestamptz NOT NULL,
        flagged_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, active_since)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['unplanned_case_flags', 'service_uses', 'support_plans', 'services']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
