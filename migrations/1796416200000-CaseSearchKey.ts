import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case list's `q` on the case itself (issue 16). `q` matches a case when
 * its subject, a member of its household or the household's address matches;
 * asked as subqueries over persons and households, a common surname gathered
 * thousands of people and joined them back to every case before the newest
 * twenty could be picked (50–270 ms at 100,000 cases). `cases.search_key` is
 * those keys side by side (each already ` word word `, so no match crosses
 * from one into the next), kept by triggers whatever path changes a name, an
 * address or a household's members; with its trigram index a rare word is
 * found through the index, and a common one by walking the list's own order
 * until a page is full.
 */
export class CaseSearchKey1796416200000 implements MigrationInterface {
  name = 'CaseSearchKey1796416200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN search_key text NOT NULL DEFAULT ''`);
    await q.query(`
      CREATE FUNCTION case_search_key(subject uuid, household uuid) RETURNS text
      LANGUAGE sql STABLE AS $$
        SELECT coalesce((SELECT search_key FROM persons WHERE id = subject), '')
            || coalesce((SELECT string_agg(p.search_key, '' ORDER BY p.id)
                           FROM household_members m JOIN persons p ON p.id = m.person_id
                          WHERE m.household_id = household), '')
            || coalesce((SELECT search_key FROM households WHERE id = household), '')
      $$`);
    // A case's own row: when written, or given another subject or household.
    await q.query(`
      CREATE FUNCTION cases_search_key_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_key := case_search_key(NEW.subject_id, NEW.household_id);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER cases_search_key BEFORE INSERT OR UPDATE OF subject_id, household_id ON cases
      FOR EACH ROW EXECUTE FUNCTION cases_search_key_row()`);
    // Cases of a person whose names or school changed: as subject, or through a household they belong to.
    await q.query(`
      CREATE FUNCTION persons_search_key_cases() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE cases c SET search_key = case_search_key(c.subject_id, c.household_id)
         WHERE c.subject_id = NEW.id
            OR c.household_id IN (SELECT m.household_id FROM household_members m WHERE m.person_id = NEW.id);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER persons_search_key AFTER UPDATE OF search_key ON persons
      FOR EACH ROW WHEN (OLD.search_key IS DISTINCT FROM NEW.search_key) EXECUTE FUNCTION persons_search_key_cases()`);
    // Cases of a household that moved, or whose members changed.
    await q.query(`
      CREATE FUNCTION households_search_key_cases() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE cases c SET search_key = case_search_key(c.subject_id, c.household_id) WHERE c.household_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER households_search_key AFTER UPDATE OF search_key ON households
      FOR EACH ROW WHEN (OLD.search_key IS DISTINCT FROM NEW.search_key) EXECUTE FUNCTION households_search_key_cases()`);
    await q.query(`
      CREATE FUNCTION household_members_search_key_cases() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'DELETE' THEN
          UPDATE cases c SET search_key = case_search_key(c.subject_id, c.household_id)
           WHERE c.household_id = NEW.household_id;
        END IF;
        IF TG_OP <> 'INSERT' THEN
          UPDATE cases c SET search_key = case_search_key(c.subject_id, c.household_id)
           WHERE c.household_id = OLD.household_id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER household_members_search_key AFTER INSERT OR UPDATE OR DELETE ON household_members
      FOR EACH ROW EXECUTE FUNCTION household_members_search_key_cases()`);
    await q.query(`UPDATE cases SET search_key = case_search_key(subject_id, household_id)`);
    await q.query(`CREATE INDEX cases_search_idx ON cases USING gin (search_key gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER household_members_search_key ON household_members`);
    await q.query(`DROP TRIGGER households_search_key ON households`);
    await q.query(`DROP TRIGGER persons_search_key ON persons`);
    await q.query(`DROP TRIGGER cases_search_key ON cases`);
    await q.query(`DROP FUNCTION household_members_search_key_cases()`);
    await q.query(`DROP FUNCTION households_search_key_cases()`);
    await q.query(`DROP FUNCTION persons_search_key_cases()`);
    await q.query(`DROP FUNCTION cases_search_key_row()`);
    await q.query(`ALTER TABLE cases DROP COLUMN search_key`);
    await q.query(`DROP FUNCTION case_search_key(uuid, uuid)`);
  }
}
