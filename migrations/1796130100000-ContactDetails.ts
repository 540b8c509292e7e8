import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contact details of the people on a record (issue 13): their phone numbers
 * and e-mail addresses with a label and a note, and the household's address
 * history (転居). Personal data like names: nothing here is ever deleted; a
 * contact point no longer in use is marked removed and kept.
 */
export class ContactDetails1796130100000 implements MigrationInterface {
  name = 'ContactDetails1796130100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contact_points (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES persons(id),
        kind text NOT NULL CHECK (kind IN ('phone','email')),
        label text NOT NULL CHECK (label IN ('mobile','home','work','other')),
        value text NOT NULL,
        -- 「夜間不可」「父に知られないように」: how and when the number may be used.
        note text,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        removed_by uuid REFERENCES users(id),
        removed_at timestamptz,
        CHECK ((removed_at IS NULL) = (removed_by IS NULL))
      )`);
    await q.query(`CREATE INDEX contact_points_person_idx ON contact_points (person_id, created_at)`);

    // Every address a household has had; households.address stays the current one.
    await q.query(`
      CREATE TABLE household_addresses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        household_id uuid NOT NULL REFERENCES households(id),
        address text NOT NULL,
        change text NOT NULL CHECK (change IN ('intake','move','correction')),
        moved_on date,
        recorded_by uuid REFERENCES users(id),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX household_addresses_household_idx ON household_addresses (household_id, recorded_at)`);
    await q.query(`
      INSERT INTO household_addresses (household_id, address, change, recorded_at)
      SELECT id, address, 'intake', created_at FROM households`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE household_addresses`);
    await q.query(`DROP TABLE contact_points`);
  }
}
