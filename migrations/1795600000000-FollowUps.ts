import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-up tasks, the transactional outbox that feeds BullMQ, in-app
 * notifications (one per event, by key) and case conferences
 * (domain.md "Follow-up tasks", "Notifications"; jobs.md).
 */
export class FollowUps1795600000000 implements MigrationInterface {
  name = 'FollowUps1795600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        referral_id uuid,
        kind text NOT NULL CHECK (kind IN ('callback','home_visit','safety_check','agency_contact','case_conference',
                                           'review','referral_followup','record','other')),
        title text NOT NULL,
        due_at timestamptz NOT NULL,
        -- When the due time was last set: reminder points before it are not sent late.
        due_set_at timestamptz NOT NULL DEFAULT now(),
        assignee_id uuid NOT NULL REFERENCES users(id),
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low','normal','high','urgent')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
        -- Who or what made it: a person, or a rule the system runs (48-hour rule, reviews, ...).
        origin text NOT NULL DEFAULT 'manual',
        -- A rule's task is made once: the same key again is a no-op.
        origin_key text UNIQUE,
        created_by uuid REFERENCES users(id),
        closed_at timestamptz,
        closed_by uuid REFERENCES users(id),
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX tasks_open_due_idx ON tasks (due_at) WHERE status = 'open'`);
    await q.query(`CREATE INDEX tasks_assignee_idx ON tasks (assignee_id, status, due_at)`);
    await q.query(`CREATE INDEX tasks_case_idx ON tasks (case_id, status, due_at)`);

    // Written in the transaction of the change; the relay moves rows to BullMQ.
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        job_name text NOT NULL,
        job_id text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        run_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL`);

    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        -- The event it reports: the same event is never delivered twice.
        event_key text NOT NULL,
        kind text NOT NULL,
        title text NOT NULL,
        case_id uuid REFERENCES cases(id),
        task_id uuid REFERENCES tasks(id),
        referral_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        UNIQUE (user_id, event_key)
      )`);
    await q.query(`CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX notifications_event_idx ON notifications (event_key)`);

    await q.query(`
      CREATE TABLE conferences (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        kind text NOT NULL CHECK (kind IN ('intake_meeting','case_review')),
        held_at timestamptz NOT NULL,
        attendee_user_ids uuid[] NOT NULL DEFAULT '{}',
        attendee_organization_ids uuid[] NOT NULL DEFAULT '{}',
        decisions text NOT NULL,
        next_review_at timestamptz,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX conferences_case_idx ON conferences (case_id, held_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['conferences', 'notifications', 'outbox', 'tasks']) await q.query(`DROP TABLE ${table}`);
  }
}
