import { MigrationInterface, QueryRunner } from 'typeorm';

/** Referrals to and from other departments and agencies, with their timeline (domain.md, "Referrals"). */
export class Referrals1795700000000 implements MigrationInterface {
  name = 'Referrals1795700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referrals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        direction text NOT NULL CHECK (direction IN ('outgoing','incoming')),
        kind text NOT NULL CHECK (kind IN ('referral','information_request','case_transfer','notification')),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        reason text NOT NULL,
        urgency text NOT NULL CHECK (urgency IN ('routine','priority','emergency')),
        legal_basis text NOT NULL
          CHECK (legal_basis IN ('consent_subject','consent_guardian','council_member','statutory','vital_interest')),
        shared_information text NOT NULL,
        status text NOT NULL
          CHECK (status IN ('draft','sent','accepted','declined','in_progress','completed','withdrawn')),
        -- A due date the sender agreed; otherwise it follows the urgency when sent.
        agreed_response_due_at timestamptz,
        response_due_at timestamptz,
        sent_at timestamptz,
        sent_by uuid REFERENCES users(id),
        responded_at timestamptz,
        closed_at timestamptz,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        -- 通告 (an abuse notification) only ever comes in.
        CHECK (kind <> 'notification' OR direction = 'incoming')
      )`);
    await q.query(`CREATE INDEX referrals_case_idx ON referrals (case_id)`);
    await q.query(`CREATE INDEX referrals_list_idx ON referrals (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX referrals_org_idx ON referrals (organization_id)`);
    await q.query(`CREATE INDEX referrals_unanswered_idx ON referrals (response_due_at) WHERE status = 'sent'`);
    await q.query(`
      CREATE TABLE referral_events (
        id bigserial PRIMARY KEY,
        referral_id uuid NOT NULL REFERENCES referrals(id),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid REFERENCES users(id),
        action text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        note text
      )`);
    await q.query(`CREATE INDEX referral_events_referral_idx ON referral_events (referral_id, id)`);
    await q.query(
      `ALTER TABLE tasks ADD CONSTRAINT tasks_referral_fk FOREIGN KEY (referral_id) REFERENCES referrals(id)`,
    );
    await q.query(
      `ALTER TABLE notifications ADD CONSTRAINT notifications_referral_fk FOREIGN KEY (referral_id) REFERENCES referrals(id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_referral_fk`);
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_referral_fk`);
    await q.query(`DROP TABLE referral_events`);
    await q.query(`DROP TABLE referrals`);
  }
}
