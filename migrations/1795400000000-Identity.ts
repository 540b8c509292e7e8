import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts, refresh tokens, districts with membership and supervision
 * history, organizations, and the append-only audit log (access.md,
 * domain.md "Districts", "Audit").
 */
export class Identity1795400000000 implements MigrationInterface {
  name = 'Identity1795400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL,
        display_name text NOT NULL,
        email text,
        roles text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['counselor','supervisor','staff','admin']),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        must_change_password boolean NOT NULL DEFAULT true,
        -- Bumped on deactivation and password reset: access tokens carry it,
        -- so older tokens stop working at once, not when they expire.
        token_version integer NOT NULL DEFAULT 1,
        failed_login_count integer NOT NULL DEFAULT 0,
        failed_login_window_start timestamptz,
        locked_until timestamptz,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX users_username_key ON users (lower(username))`);

    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        family_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await q.query(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE districts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        areas text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);

    // Membership and supervision are data with history (domain.md): a row is
    // ended by setting valid_to, never deleted; only rows open now give scope.
    await q.query(`
      CREATE TABLE district_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        user_id uuid NOT NULL REFERENCES users(id),
        role text NOT NULL CHECK (role IN ('member','lead')),
        valid_from timestamptz NOT NULL DEFAULT now(),
        valid_to timestamptz,
        CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX district_members_open_key ON district_members (district_id, user_id) WHERE valid_to IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX district_members_one_lead_key ON district_members (district_id) WHERE valid_to IS NULL AND role = 'lead'`,
    );
    await q.query(`CREATE INDEX district_members_user_idx ON district_members (user_id, valid_from, valid_to)`);

    await q.query(`
      CREATE TABLE district_supervisors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        user_id uuid NOT NULL REFERENCES users(id),
        valid_from timestamptz NOT NULL DEFAULT now(),
        valid_to timestamptz,
        CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX district_supervisors_open_key ON district_supervisors (district_id, user_id) WHERE valid_to IS NULL`,
    );
    await q.query(`CREATE INDEX district_supervisors_user_idx ON district_supervisors (user_id, valid_from, valid_to)`);

    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('internal','external')),
        type text NOT NULL,
        council_member boolean NOT NULL DEFAULT false,
        contact jsonb NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX organizations_name_key ON organizations (name)`);

    // The audit log (domain.md, "Audit"). Rows are written inside the
    // transaction of the change they record, unsealed; the sealing job then
    // gives them a chain position (seq) and hash a few seconds later, so no
    // request waits on a global lock.
    await q.query(`
      CREATE TABLE audit_events (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_id uuid,
        actor_username text,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text,
        district_id uuid,
        client_ip text,
        request_id text,
        summary jsonb NOT NULL DEFAULT '{}',
        seq bigint UNIQUE,
        prev_hash text,
        hash text,
        sealed_at timestamptz
      )`);
    await q.query(`CREATE INDEX audit_events_unsealed_idx ON audit_events (id) WHERE seq IS NULL`);
    await q.query(`CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, id)`);
    await q.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, id)`);
    await q.query(`CREATE INDEX audit_events_district_idx ON audit_events (district_id, id)`);
    await q.query(`CREATE INDEX audit_events_time_idx ON audit_events (occurred_at)`);
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL
           AND (OLD.id, OLD.occurred_at, OLD.actor_id, OLD.actor_username, OLD.action, OLD.entity_type,
                OLD.entity_id, OLD.district_id, OLD.client_ip, OLD.request_id, OLD.summary)
               IS NOT DISTINCT FROM
               (NEW.id, NEW.occurred_at, NEW.actor_id, NEW.actor_username, NEW.action, NEW.entity_type,
                NEW.entity_id, NEW.district_id, NEW.client_ip, NEW.request_id, NEW.summary)
        THEN
          RETURN NEW; -- the sealing step, once per row
        END IF;
        RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_events_append_only()`);
    await q.query(`DROP TABLE organizations`);
    await q.query(`DROP TABLE district_supervisors`);
    await q.query(`DROP TABLE district_members`);
    await q.query(`DROP TABLE districts`);
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE users`);
  }
}
