import { MigrationInterface, QueryRunner } from 'typeorm';
import { householdSearchKey, personSearchKey } from '../src/cases/search-keys';

/**
 * Search that finds the child (issue 13): normalized search keys on people
 * (names in kanji and kana, school) and households (address), each with a
 * trigram index (pg_trgm, a trusted extension the database owner may
 * create), so that a part of a name or an address is found without scanning.
 * Existing rows get their keys here, a thousand at a time.
 */
export class Search1796130200000 implements MigrationInterface {
  name = 'Search1796130200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`ALTER TABLE persons ADD COLUMN search_key text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE households ADD COLUMN search_key text NOT NULL DEFAULT ''`);
    for (let last = '00000000-0000-0000-0000-000000000000'; ;) {
      const rows = (await q.query(
        `SELECT id, family_name AS "familyName", given_name AS "givenName", family_name_kana AS "familyNameKana",
                given_name_kana AS "givenNameKana", school FROM persons WHERE id > $1 ORDER BY id LIMIT 1000`,
        [last],
      )) as { id: string; familyName: string; givenName: string }[];
      if (rows.length === 0) break;
      await q.query(
        `UPDATE persons p SET search_key = k.key FROM unnest($1::uuid[], $2::text[]) AS k(id, key) WHERE p.id = k.id`,
        [rows.map((r) => r.id), rows.map(personSearchKey)],
      );
      last = rows[rows.length - 1].id;
    }
    for (let last = '00000000-0000-0000-0000-000000000000'; ;) {
      const rows = (await q.query(`SELECT id, address FROM households WHERE id > $1 ORDER BY id LIMIT 1000`, [
        last,
      ])) as { id: string; address: string }[];
      if (rows.length === 0) break;
      await q.query(
        `UPDATE households h SET search_key = k.key FROM unnest($1::uuid[], $2::text[]) AS k(id, key) WHERE h.id = k.id`,
        [rows.map((r) => r.id), rows.map((r) => householdSearchKey(r.address))],
      );
      last = rows[rows.length - 1].id;
    }
    await q.query(`CREATE INDEX persons_search_idx ON persons USING gin (search_key gin_trgm_ops)`);
    await q.query(`CREATE INDEX households_search_idx ON households USING gin (search_key gin_trgm_ops)`);
    await q.query(`CREATE INDEX household_members_person_idx ON household_members (person_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX household_members_person_idx`);
    await q.query(`ALTER TABLE households DROP COLUMN search_key`);
    await q.query(`ALTER TABLE persons DROP COLUMN search_key`);
    // pg_trgm stays: other objects of the database may have come to use it.
  }
}
