import 'reflect-metadata';
import { hash } from 'argon2';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import {
  ASSIGNABLE_CONSULTATION_TYPES,
  CHANNELS,
  MAIN_ABUSER_RELATIONS,
  ROUTES,
  TASK_KINDS,
} from '../src/codes/code-lists';
import { migrate } from '../src/core/database/runtime-role';
import { normalizeKana } from '../src/core/text/normalize';
import { householdSearchKey, personSearchKey } from '../src/cases/search-keys';

/**
 * `npm run seed:scale`: the data set of quality.md ("Performance budgets"),
 * generated straight into a database of its own (dropped and created again),
 * in SQL (generate_series) rather than through the API, so that it takes
 * about a minute instead of hours:
 *
 * - 4 districts, 60 users (48 counselors, 8 supervisors, 3 staff, 1 admin),
 *   memberships and supervisions with history (ended rows beside open ones);
 * - 100,000 cases over five fiscal years (2 % confidential, some unplaced,
 *   co-counselors, every status), numbered per fiscal year with the number
 *   sequences set to match, each with its `opened` event;
 * - their subjects and a guardian each, in households (one case in ten is a
 *   sibling's, sharing a household), with the normalized columns the service
 *   sets (name_kana_key, search_key) computed by the service's own functions
 *   (src/cases/search-keys.ts), and the address history;
 * - 1,000,000 consultations (ten per case, the first the intake);
 * - open tasks (a third overdue) and done ones, referrals, notifications.
 *
 *   SCALE_DATABASE_URL  the database to (re)create (default .../tsunagu_scale)
 *   SCALE_CASES, SCALE_CONSULTATIONS  sizes (default 100000, 1000000)
 *   SCALE_PASSWORD  every seeded user's password (default scale-bench-password)
 *
 * Usernames: scale_counselor_01..48 (district i gets 12 each), scale_supervisor_01..08,
 * scale_staff_01..03, scale_admin. The data is fictitious.
 */

const URL_ = process.env.SCALE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tsunagu_scale';
const CASES = positiveInt('SCALE_CASES', 100_000);
const CONSULTATIONS = positiveInt('SCALE_CONSULTATIONS', 1_000_000);
export const SCALE_PASSWORD = process.env.SCALE_PASSWORD ?? 'scale-bench-password';
const BATCH = 10_000;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a positive whole number`);
  return Number(raw);
}

/** A deterministic version-4-shaped UUID, the same in SQL (seed_uuid) and here, so rows can be linked by index. */
export function seedUuid(text: string): string {
  const h = createHash('md5').update(text).digest('hex');
  const v = `${h.slice(0, 12)}4${h.slice(13, 16)}8${h.slice(17)}`;
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}`;
}
const SEED_UUID_SQL = `
  CREATE FUNCTION pg_temp.seed_uuid(t text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT (substr(h, 1, 12) || '4' || substr(h, 14, 3) || '8' || substr(h, 18))::uuid FROM md5(t) AS h
  $$`;

// Name pools: common surnames and given names in kanji with their kana, schools, towns.
const FAMILY: [string, string][] = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['田中', 'タナカ'],
  ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'],
  ['山本', 'ヤマモト'],
  ['中村', 'ナカムラ'],
  ['小林', 'コバヤシ'],
  ['加藤', 'カトウ'],
  ['吉田', 'ヨシダ'],
  ['山田', 'ヤマダ'],
  ['佐々木', 'ササキ'],
  ['山口', 'ヤマグチ'],
  ['松本', 'マツモト'],
  ['井上', 'イノウエ'],
  ['木村', 'キムラ'],
  ['林', 'ハヤシ'],
  ['斎藤', 'サイトウ'],
  ['清水', 'シミズ'],
  ['山崎', 'ヤマザキ'],
  ['森', 'モリ'],
  ['池田', 'イケダ'],
  ['橋本', 'ハシモト'],
  ['阿部', 'アベ'],
  ['石川', 'イシカワ'],
  ['山下', 'ヤマシタ'],
  ['中島', 'ナカジマ'],
  ['石井', 'イシイ'],
  ['小川', 'オガワ'],
  ['前田', 'マエダ'],
  ['岡田', 'オカダ'],
  ['長谷川', 'ハセガワ'],
  ['藤田', 'フジタ'],
  ['後藤', 'ゴトウ'],
  ['近藤', 'コンドウ'],
  ['村上', 'ムラカミ'],
  ['遠藤', 'エンドウ'],
  ['青木', 'アオキ'],
  ['坂本', 'サカモト'],
];
const GIVEN: [string, string][] = [
  ['陽翔', 'ハルト'],
  ['蓮', 'レン'],
  ['湊', 'ミナト'],
  ['蒼', 'アオイ'],
  ['樹', 'イツキ'],
  ['大和', 'ヤマト'],
  ['悠真', 'ユウマ'],
  ['朝陽', 'アサヒ'],
  ['結翔', 'ユイト'],
  ['律', 'リツ'],
  ['陽葵', 'ヒマリ'],
  ['凛', 'リン'],
  ['詩', 'ウタ'],
  ['結菜', 'ユイナ'],
  ['杏', 'アン'],
  ['澪', 'ミオ'],
  ['芽依', 'メイ'],
  ['紬', 'ツムギ'],
  ['葵', 'アオイ'],
  ['花子', 'ハナコ'],
  ['太郎', 'タロウ'],
  ['翔太', 'ショウタ'],
  ['美咲', 'ミサキ'],
  ['健太', 'ケンタ'],
  ['さくら', 'サクラ'],
  ['大輝', 'ダイキ'],
  ['優奈', 'ユウナ'],
  ['颯太', 'ソウタ'],
  ['莉子', 'リコ'],
  ['悠斗', 'ユウト'],
  ['心春', 'コハル'],
  ['一花', 'イチカ'],
  ['陸', 'リク'],
  ['咲良', 'サクラ'],
  ['海斗', 'カイト'],
  ['彩花', 'アヤカ'],
  ['拓海', 'タクミ'],
  ['愛莉', 'アイリ'],
  ['奏太', 'ソウタ'],
  ['実桜', 'ミオ'],
];
const ADULT_GIVEN: [string, string][] = [
  ['恵子', 'ケイコ'],
  ['由美', 'ユミ'],
  ['直子', 'ナオコ'],
  ['智子', 'トモコ'],
  ['真由美', 'マユミ'],
  ['浩', 'ヒロシ'],
  ['誠', 'マコト'],
  ['健一', 'ケンイチ'],
  ['隆', 'タカシ'],
  ['大輔', 'ダイスケ'],
];
const SCHOOLS = [
  '中央小学校',
  '北小学校',
  '南小学校',
  '東小学校',
  '西小学校',
  '桜ヶ丘小学校',
  '緑町小学校',
  '青葉小学校',
  '中央中学校',
  '北中学校',
  '南中学校',
  '東中学校',
  '西中学校',
  'ひまわり保育園',
  'さくら保育園',
  'あおば幼稚園',
  '県立中央高等学校',
  'みなと認定こども園',
];
/** Towns per district (the district's areas, so that the intake's district suggestion finds them). */
const DISTRICTS = [
  { code: 'scale_north', name: '北部地区', towns: ['北町', '桜ヶ丘', '緑町', '青葉台', '北山'] },
  { code: 'scale_south', name: '南部地区', towns: ['南町', '港町', '浜辺', '汐見', '南原'] },
  { code: 'scale_east', name: '東部地区', towns: ['東町', '朝日町', '日の出', '東山', '若葉'] },
  { code: 'scale_west', name: '西部地区', towns: ['西町', '夕陽丘', '西原', '松風', '川西'] },
];

const pick = <T>(list: readonly T[], n: number): T => list[((n % list.length) + list.length) % list.length];

/** Subject of case i (1-based): names, kana, birth date, school; in JS so the keys are the service's own. */
function subjectOf(i: number) {
  const [familyName, familyNameKana] = pick(FAMILY, i * 7 + Math.floor(i / 997));
  const [givenName, givenNameKana] = pick(GIVEN, i * 13 + Math.floor(i / 40));
  const expectant = i % 100 === 37;
  const ageDays = 30 + ((i * 7919) % (17 * 365));
  const school = expectant ? null : ageDays > 3 * 365 ? pick(SCHOOLS, i * 3) : null;
  return { familyName, familyNameKana, givenName, givenNameKana, school, expectant, ageDays };
}

function guardianOf(i: number) {
  const { familyName, familyNameKana } = subjectOf(i);
  const [givenName, givenNameKana] = pick(ADULT_GIVEN, i * 3);
  return { familyName, familyNameKana, givenName, givenNameKana, school: null, mother: i % 10 < 5 };
}

/** The household of case i: a sibling's case (one in ten) shares the previous case's household. */
const householdIndexOf = (i: number) => (i % 10 === 0 && i > 1 ? i - 1 : i);
const districtIndexOf = (i: number) => i % 4;

function addressOf(h: number): string {
  const d = DISTRICTS[districtIndexOf(h)];
  const town = pick(d.towns, Math.floor(h / 4));
  return `${town}${1 + (h % 5)}丁目${1 + (h % 37)}-${1 + (h % 23)}`;
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = Date.now();
  const result = await work();
  console.log(`  ${label}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
  return result;
}

async function recreateDatabase(): Promise<void> {
  const url = new URL(URL_);
  const database = decodeURIComponent(url.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`unexpected database name ${database}`);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
}

/** Secondary indexes of the bulk-loaded tables are dropped during the load and built afterwards (much faster). */
async function withoutIndexes(db: Client, tables: string[], load: () => Promise<void>): Promise<void> {
  const { rows } = await db.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [tables],
  );
  for (const r of rows) await db.query(`DROP INDEX "${r.name}"`);
  await load();
  await timed(`${rows.length} indexes built`, async () => {
    await db.query(`SET maintenance_work_mem = '512MB'`);
    for (const r of rows) await db.query(r.def);
  });
}

async function main(): Promise<void> {
  const start = Date.now();
  console.log(`seed:scale: ${CASES} cases, ${CONSULTATIONS} consultations into ${new URL(URL_).pathname.slice(1)}`);
  await timed('database created and migrated', async () => {
    await recreateDatabase();
    await migrate(URL_, URL_);
  });
  const db = new Client({ connectionString: URL_ });
  await db.connect();
  try {
    await db.query(`SET synchronous_commit = off`);
    await db.query(SEED_UUID_SQL);
    await db.query('BEGIN');
    // The search-key triggers would run once per row of the load; the keys are set in one statement at its end.
    await db.query(`ALTER TABLE cases DISABLE TRIGGER cases_search_key`);
    await db.query(`ALTER TABLE household_members DISABLE TRIGGER household_members_search_key`);
    const people = await timed('directory (districts, users, memberships, organizations)', () => directory(db));
    await withoutIndexes(
      db,
      [
        'persons',
        'households',
        'household_members',
        'household_addresses',
        'cases',
        'case_events',
        'consultations',
        'tasks',
        'referrals',
        'notifications',
      ],
      async () => {
        await timed('persons and households', () => personsAndHouseholds(db));
        await timed('cases and their events', () => cases(db, people));
        await timed('consultations', () => consultations(db));
        await timed('tasks, referrals, notifications', () => followUps(db, people));
        await timed('search keys of the cases', () => caseSearchKeys(db));
      },
    );
    await db.query(`ALTER TABLE cases ENABLE TRIGGER cases_search_key`);
    await db.query(`ALTER TABLE household_members ENABLE TRIGGER household_members_search_key`);
    await db.query('COMMIT');
    await timed('vacuum analyze', () => db.query('VACUUM ANALYZE'));
    const { rows } = await db.query<{ t: string; n: string }>(
      `SELECT 'cases' t, count(*)::text n FROM cases UNION ALL SELECT 'consultations', count(*)::text FROM consultations
       UNION ALL SELECT 'persons', count(*)::text FROM persons UNION ALL SELECT 'open tasks', count(*)::text FROM tasks WHERE status = 'open'
       UNION ALL SELECT 'notifications', count(*)::text FROM notifications UNION ALL SELECT 'referrals', count(*)::text FROM referrals`,
    );
    console.log(`  ${rows.map((r) => `${r.t} ${Number(r.n).toLocaleString('en-US')}`).join(', ')}`);
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
  console.log(
    `seed:scale done in ${((Date.now() - start) / 1000).toFixed(1)} s (password of every user: $SCALE_PASSWORD or the default)`,
  );
}

interface Directory {
  districtIds: string[];
  /** counselors[d] = the 12 counselor ids of district d. */
  counselors: string[][];
  supervisors: string[][];
  organizations: string[];
  users: string[];
}

async function directory(db: Client): Promise<Directory> {
  const passwordHash = await hash(SCALE_PASSWORD);
  const districtIds: string[] = [];
  for (const d of DISTRICTS) {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO districts (code, name, areas) VALUES ($1, $2, $3) RETURNING id`,
      [d.code, d.name, d.towns],
    );
    districtIds.push(rows[0].id);
  }
  const addUser = async (username: string, displayName: string, roles: string[]) => {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO users (username, display_name, roles, password_hash, must_change_password, created_at)
       VALUES ($1, $2, $3, $4, false, now() - interval '6 years') RETURNING id`,
      [username, displayName, roles, passwordHash],
    );
    return rows[0].id;
  };
  const two = (n: number) => String(n).padStart(2, '0');
  const counselors: string[][] = [[], [], [], []];
  for (let n = 1; n <= 48; n++) {
    counselors[(n - 1) % 4].push(await addUser(`scale_counselor_${two(n)}`, `相談員${two(n)}`, ['counselor']));
  }
  const supervisors: string[][] = [[], [], [], []];
  for (let n = 1; n <= 8; n++) {
    supervisors[(n - 1) % 4].push(await addUser(`scale_supervisor_${two(n)}`, `統括${two(n)}`, ['supervisor']));
  }
  const users = [...counselors.flat(), ...supervisors.flat()];
  for (let n = 1; n <= 3; n++) users.push(await addUser(`scale_staff_${two(n)}`, `事務${two(n)}`, ['staff']));
  users.push(await addUser('scale_admin', '管理者', ['admin']));

  // Memberships with history: everyone joined five years ago; every fourth counselor worked in the next
  // district before (an ended row), and the first counselor of each district leads it.
  for (let d = 0; d < 4; d++) {
    for (const [k, id] of counselors[d].entries()) {
      if (k % 4 === 3) {
        await db.query(
          `INSERT INTO district_members (district_id, user_id, role, valid_from, valid_to)
           VALUES ($1, $2, 'member', now() - interval '6 years', now() - interval '2 years')`,
          [districtIds[(d + 1) % 4], id],
        );
      }
      await db.query(
        `INSERT INTO district_members (district_id, user_id, role, valid_from)
         VALUES ($1, $2, $3, now() - interval ${k % 4 === 3 ? "'2 years'" : "'5 years'"})`,
        [districtIds[d], id, k === 0 ? 'lead' : 'member'],
      );
    }
    for (const [k, id] of supervisors[d].entries()) {
      await db.query(
        `INSERT INTO district_supervisors (district_id, user_id, valid_from) VALUES ($1, $2, now() - interval '5 years')`,
        [districtIds[d], id],
      );
      if (k === 0) {
        // Oversaw the previous district once.
        await db.query(
          `INSERT INTO district_supervisors (district_id, user_id, valid_from, valid_to)
           VALUES ($1, $2, now() - interval '6 years', now() - interval '5 years')`,
          [districtIds[(d + 3) % 4], id],
        );
      }
    }
  }
  const organizations: string[] = [];
  const orgTypes = [
    'child_guidance_center',
    'school',
    'nursery',
    'hospital',
    'police',
    'health_center',
    'welfare_office',
  ];
  for (let n = 1; n <= 20; n++) {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO organizations (name, kind, type, council_member) VALUES ($1, 'external', $2, $3) RETURNING id`,
      [`連携機関${two(n)}`, pick(orgTypes, n), n % 2 === 0],
    );
    organizations.push(rows[0].id);
  }
  return { districtIds, counselors, supervisors, organizations, users };
}

/** Subjects, guardians, households and their address history, in batches through unnest. */
async function personsAndHouseholds(db: Client): Promise<void> {
  for (let from = 1; from <= CASES; from += BATCH) {
    const to = Math.min(CASES, from + BATCH - 1);
    const p = {
      id: [] as string[],
      fn: [] as string[],
      gn: [] as string[],
      fk: [] as string[],
      gk: [] as string[],
      key: [] as (string | null)[],
      birth: [] as (string | null)[],
      due: [] as (string | null)[],
      sex: [] as (string | null)[],
      school: [] as (string | null)[],
      search: [] as string[],
    };
    const h = { id: [] as string[], address: [] as string[], search: [] as string[], at: [] as string[] };
    const hm = { household: [] as string[], person: [] as string[], rel: [] as string[] };
    const today = Date.now();
    for (let i = from; i <= to; i++) {
      const s = subjectOf(i);
      const born = new Date(today - s.ageDays * 86_400_000).toISOString().slice(0, 10);
      p.id.push(seedUuid(`subject:${i}`));
      p.fn.push(s.familyName);
      p.gn.push(s.givenName);
      p.fk.push(s.familyNameKana);
      p.gk.push(s.givenNameKana);
      p.key.push(normalizeKana(`${s.familyNameKana}${s.givenNameKana}`));
      p.birth.push(s.expectant ? null : born);
      p.due.push(s.expectant ? new Date(today + 90 * 86_400_000).toISOString().slice(0, 10) : null);
      p.sex.push(s.expectant ? 'female' : i % 2 ? 'male' : 'female');
      p.school.push(s.school);
      p.search.push(personSearchKey(s));
      if (householdIndexOf(i) === i) {
        const g = guardianOf(i);
        p.id.push(seedUuid(`guardian:${i}`));
        p.fn.push(g.familyName);
        p.gn.push(g.givenName);
        p.fk.push(g.familyNameKana);
        p.gk.push(g.givenNameKana);
        p.key.push(normalizeKana(`${g.familyNameKana}${g.givenNameKana}`));
        p.birth.push(null);
        p.due.push(null);
        p.sex.push(g.mother ? 'female' : 'male');
        p.school.push(null);
        p.search.push(personSearchKey(g));
        const address = addressOf(i);
        h.id.push(seedUuid(`household:${i}`));
        h.address.push(address);
        h.search.push(householdSearchKey(address));
        h.at.push(openedAtSql(i));
        hm.household.push(seedUuid(`household:${i}`));
        hm.person.push(seedUuid(`guardian:${i}`));
        hm.rel.push(g.mother ? 'mother' : 'father');
      } else {
        hm.household.push(seedUuid(`household:${householdIndexOf(i)}`));
        hm.person.push(seedUuid(`subject:${i}`));
        hm.rel.push('sibling');
      }
    }
    await db.query(
      `INSERT INTO persons (id, family_name, given_name, family_name_kana, given_name_kana, name_kana_key, birth_date,
                            expected_due_date, sex, school, search_key)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[],
                            $8::date[], $9::text[], $10::text[], $11::text[])`,
      [p.id, p.fn, p.gn, p.fk, p.gk, p.key, p.birth, p.due, p.sex, p.school, p.search],
    );
    await db.query(
      `INSERT INTO households (id, address, search_key, created_at, updated_at)
       SELECT id, a, s, at::timestamptz, at::timestamptz FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS u(id, a, s, at)`,
      [h.id, h.address, h.search, h.at],
    );
    await db.query(
      `INSERT INTO household_members (household_id, person_id, relationship)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])`,
      [hm.household, hm.person, hm.rel],
    );
  }
  await db.query(
    `INSERT INTO household_addresses (household_id, address, change, recorded_at)
     SELECT id, address, 'intake', created_at FROM households`,
  );
}

/** Case i's opening instant: spread evenly over the last five years, oldest first (so numbers follow time). */
const SPAN_DAYS = 5 * 365;
function openedAtSql(i: number): string {
  return new Date(
    Date.now() - SPAN_DAYS * 86_400_000 + Math.floor(((i - 1) / CASES) * SPAN_DAYS * 86_400_000),
  ).toISOString();
}

async function cases(db: Client, dir: Directory): Promise<void> {
  // One row per case with everything the later inserts need, computed once.
  await db.query(
    `CREATE TEMP TABLE seed_cases (i int PRIMARY KEY, id uuid, opened_at timestamptz, district_id uuid,
                                   counselor_id uuid, co_counselor_id uuid, type text, confidential boolean, status text, h int)`,
  );
  await db.query(
    `INSERT INTO seed_cases
     SELECT i,
            pg_temp.seed_uuid('case:' || i) AS id,
            opened_at,
            CASE WHEN h % 250 = 3 AND opened_at >= now() - interval '1 year' THEN NULL ELSE ($1::uuid[])[1 + i % 4] END AS district_id,
            ($2::uuid[])[1 + (i % 4) * 12 + ((i / 4) % 12)] AS counselor_id,
            CASE WHEN h % 7 = 0 THEN ($2::uuid[])[1 + (i % 4) * 12 + ((i / 4 + 5) % 12)] END AS co_counselor_id,
            ($3::text[])[1 + (h / 7) % cardinality($3::text[])] AS type,
            h % 50 = 0 AS confidential,
            CASE WHEN opened_at < now() - interval '1 year' AND (h / 11) % 10 < 8 THEN 'closed'
                 WHEN opened_at < now() - interval '1 year' THEN (ARRAY['active','monitoring'])[1 + (h / 13) % 2]
                 WHEN h % 250 = 3 THEN 'intake'
                 ELSE (ARRAY['intake','assessment','active','active','active','monitoring','closure_requested','closed'])[1 + (h / 13) % 8]
            END AS status,
            h
       FROM (SELECT i, now() - make_interval(days => ${SPAN_DAYS}) + ((i - 1)::float8 / $4) * make_interval(days => ${SPAN_DAYS}) AS opened_at,
                    -- A scrambled number per case, so that district (i % 4) and the other traits do not correlate.
                    hashtext('case:' || i) & 2147483647 AS h
               FROM generate_series(1, $4::int) AS i) s`,
    [dir.districtIds, dir.counselors.flat(), [...ASSIGNABLE_CONSULTATION_TYPES], CASES],
  );
  await db.query(`
    CREATE FUNCTION pg_temp.fiscal_year(t timestamptz) RETURNS int LANGUAGE sql IMMUTABLE AS $$
      SELECT (extract(year FROM (t AT TIME ZONE 'Asia/Tokyo'))::int
              - CASE WHEN extract(month FROM (t AT TIME ZONE 'Asia/Tokyo')) < 4 THEN 1 ELSE 0 END)
    $$`);
  await db.query(
    `INSERT INTO cases (id, number, fiscal_year, subject_id, subject_kind, household_id, status, status_before_closure_request,
                        district_id, primary_counselor_id, co_counselor_ids, main_consultation_type, consultation_types,
                        protection, risk, abuse_types, main_abuser, confidential, young_carer, dv_involved, has_referral,
                        opened_at, accepted_at, closed_at, closure_reason, created_at, updated_at)
     SELECT s.id,
            fy || '-' || CASE WHEN n < 10000 THEN lpad(n::text, 4, '0') ELSE n::text END,
            fy,
            pg_temp.seed_uuid('subject:' || s.i),
            CASE WHEN s.i % 100 = 37 THEN 'expectant_mother' ELSE 'child' END,
            pg_temp.seed_uuid('household:' || CASE WHEN s.i % 10 = 0 AND s.i > 1 THEN s.i - 1 ELSE s.i END),
            s.status,
            CASE WHEN s.status = 'closure_requested' THEN 'active' END,
            s.district_id,
            CASE WHEN s.district_id IS NULL THEN NULL ELSE s.counselor_id END,
            CASE WHEN s.co_counselor_id IS NULL OR s.district_id IS NULL THEN '{}'::uuid[] ELSE ARRAY[s.co_counselor_id] END,
            s.type,
            ARRAY[s.type],
            CASE WHEN s.type = 'abuse' AND s.i % 3 = 0 THEN 'protection_needed'
                 WHEN s.type = 'abuse' THEN 'support_needed'
                 WHEN s.i % 100 = 37 THEN 'specified_expectant_mother' ELSE 'none' END,
            CASE WHEN s.status IN ('intake') THEN NULL ELSE (ARRAY['low','medium','high','urgent'])[1 + s.i % 4] END,
            CASE WHEN s.type = 'abuse' THEN ARRAY[(ARRAY['physical','sexual','psychological','neglect'])[1 + s.i % 4]] ELSE '{}' END,
            CASE WHEN s.type = 'abuse' THEN ($1::text[])[1 + s.i % cardinality($1::text[])] END,
            s.confidential,
            s.h % 40 = 1,
            s.h % 25 = 2,
            s.h % 10 = 4,
            s.opened_at,
            CASE WHEN s.status <> 'intake' THEN s.opened_at + interval '2 days' END,
            CASE WHEN s.status = 'closed' THEN least(s.opened_at + interval '180 days', now() - interval '1 day') END,
            CASE WHEN s.status = 'closed' THEN (ARRAY['resolved','transferred','moved_away','aged_out','no_contact'])[1 + s.i % 5] END,
            s.opened_at,
            s.opened_at
       FROM (SELECT s.*, pg_temp.fiscal_year(s.opened_at) AS fy,
                    row_number() OVER (PARTITION BY pg_temp.fiscal_year(s.opened_at) ORDER BY s.i) AS n
               FROM seed_cases s) s`,
    [[...MAIN_ABUSER_RELATIONS]],
  );
  // Each fiscal year's number sequence continues after its seeded cases (src/cases/case-numbers.ts).
  await db.query(`
    SELECT next_case_number(fiscal_year), setval(format('case_number_%s', fiscal_year)::regclass, count(*))
      FROM cases GROUP BY fiscal_year`);
  await db.query(`
    INSERT INTO case_events (case_id, occurred_at, actor_id, kind, to_status, details)
    SELECT c.id, c.opened_at, c.primary_counselor_id, 'opened', 'intake', '{"seeded": true}'
      FROM cases c`);
}

async function consultations(db: Client): Promise<void> {
  // Consultation j belongs to case 1 + (j - 1) % CASES, as its k-th (k = 0 is the intake), a week or two apart.
  await db.query(
    `INSERT INTO consultations (case_id, occurred_at, duration_minutes, counselor_id, channel, route, consultation_type,
                                bullying, abuse_types, main_abuser, abuse_notification, after_hours, summary, next_action,
                                is_intake, created_at)
     SELECT s.id, o.at, 15 + (j % 8) * 10, s.counselor_id,
            ($2::text[])[1 + j % cardinality($2::text[])],
            ($3::text[])[1 + (j / 3) % cardinality($3::text[])],
            s.type,
            j % 53 = 0,
            CASE WHEN s.type = 'abuse' THEN ARRAY[(ARRAY['physical','sexual','psychological','neglect'])[1 + s.i % 4]] ELSE '{}' END,
            CASE WHEN s.type = 'abuse' THEN 'biological_mother' END,
            s.type = 'abuse' AND k = 0,
            j % 9 = 0,
            '相談記録 ' || j || '：保護者より近況の聞き取り。次回面談の日程を調整。',
            CASE WHEN j % 3 = 0 THEN '次回家庭訪問' END,
            k = 0,
            o.at
       FROM generate_series(1, $1::int) AS j
       CROSS JOIN LATERAL (SELECT 1 + (j - 1) % ${CASES} AS ci, (j - 1) / ${CASES} AS k) x
       JOIN seed_cases s ON s.i = x.ci
       CROSS JOIN LATERAL (SELECT least(s.opened_at + k * interval '11 days' + (j % 17) * interval '1 hour',
                                        now() - interval '1 hour') AS at) o`,
    [CONSULTATIONS, [...CHANNELS], [...ROUTES]],
  );
}

async function followUps(db: Client, dir: Directory): Promise<void> {
  // Open tasks on open cases: a third of them overdue; and done ones on every fifth case.
  await db.query(
    `INSERT INTO tasks (case_id, kind, title, due_at, due_set_at, assignee_id, priority, status, origin, created_by,
                        closed_at, closed_by, created_at, updated_at)
     SELECT c.id, ($1::text[])[1 + s.i % cardinality($1::text[])], '対応 ' || s.i,
            date_trunc('second', CASE WHEN s.i % 3 = 0 THEN now() - (s.i % 30 + 1) * interval '1 day'
                                      ELSE now() + (s.i % 45 + 1) * interval '1 day' END),
            c.opened_at, c.primary_counselor_id,
            (ARRAY['low','normal','high','urgent'])[1 + s.i % 4], 'open', 'manual', c.primary_counselor_id,
            NULL, NULL, c.opened_at, c.opened_at
       FROM cases c JOIN seed_cases s ON s.id = c.id
      WHERE c.status <> 'closed' AND c.primary_counselor_id IS NOT NULL`,
    [[...TASK_KINDS.filter((k) => k !== 'safety_check' && k !== 'referral_followup' && k !== 'review')]],
  );
  // Every registered or monitored case has its open progress review (the reconciler would create them otherwise).
  await db.query(
    `INSERT INTO tasks (case_id, kind, title, due_at, due_set_at, assignee_id, priority, status, origin, created_by,
                        created_at, updated_at)
     SELECT c.id, 'review', '進行管理の見直し ' || c.number, date_trunc('second', now() + (s.i % 90 + 1) * interval '1 day'),
            c.opened_at, c.primary_counselor_id, 'normal', 'open', 'review', NULL, c.opened_at, c.opened_at
       FROM cases c JOIN seed_cases s ON s.id = c.id
      WHERE c.status NOT IN ('closed', 'intake') AND (c.protection <> 'none' OR c.status = 'monitoring')
        AND c.primary_counselor_id IS NOT NULL`,
  );
  // A settled service: every reminder and escalation of an open task that was due by now has been delivered
  // (its notification, keyed by the job id, exists), as src/tasks/task-schedule.ts names them with the default
  // policy; and every active case long without a plan has been flagged. Otherwise the first sweeps after boot
  // would deliver tens of thousands of them while the benchmark measures.
  await db.query(
    `INSERT INTO notifications (user_id, event_key, kind, title, case_id, task_id, created_at, read_at)
     SELECT t.assignee_id, p.key, p.kind, t.title, t.case_id, t.id, p.at, p.at
       FROM tasks t
      CROSS JOIN LATERAL (SELECT (extract(epoch FROM t.due_at) * 1000)::bigint AS ms) d
      CROSS JOIN LATERAL (VALUES
              ('task-reminder.' || t.id || '.' || d.ms || '.1440', 'task_reminder', t.due_at - interval '1440 minutes'),
              ('task-reminder.' || t.id || '.' || d.ms || '.60', 'task_reminder', t.due_at - interval '60 minutes'),
              ('task-reminder.' || t.id || '.' || d.ms || '.0', 'task_due', t.due_at),
              ('task-escalation.' || t.id || '.' || d.ms, 'task_escalated', t.due_at + interval '1440 minutes')) p(key, kind, at)
      WHERE t.status = 'open' AND p.at <= now()`,
  );
  await db.query(
    `INSERT INTO unplanned_case_flags (case_id, active_since, flagged_at)
     SELECT id, coalesce(accepted_at, opened_at), coalesce(accepted_at, opened_at) + interval '30 days'
       FROM cases WHERE status = 'active' AND coalesce(accepted_at, opened_at) < now() - interval '30 days'`,
  );
  await db.query(
    `INSERT INTO tasks (case_id, kind, title, due_at, due_set_at, assignee_id, priority, status, origin, created_by,
                        closed_at, closed_by, created_at, updated_at)
     SELECT c.id, 'callback', '折り返し ' || s.i, c.opened_at + interval '2 days', c.opened_at, c.primary_counselor_id,
            'normal', 'done', 'manual', c.primary_counselor_id, c.opened_at + interval '1 day', c.primary_counselor_id,
            c.opened_at, c.opened_at
       FROM cases c JOIN seed_cases s ON s.id = c.id
      WHERE s.i % 5 = 0 AND c.primary_counselor_id IS NOT NULL`,
  );
  await db.query(
    `INSERT INTO referrals (case_id, direction, kind, organization_id, reason, urgency, legal_basis, shared_information,
                            status, sent_at, sent_by, response_due_at, responded_at, created_by, created_at, updated_at)
     SELECT c.id, 'outgoing', 'referral', ($1::uuid[])[1 + s.i % cardinality($1::uuid[])], '関係機関への連携',
            'routine', 'council_member', '世帯状況の概要',
            (ARRAY['sent','accepted','in_progress','completed'])[1 + (s.h / 10) % 4],
            c.opened_at + interval '3 days', c.primary_counselor_id,
            -- A referral still waiting for its answer is not yet past due (else a daily reminder each).
            CASE WHEN (s.h / 10) % 4 = 0 THEN now() + (s.i % 10 + 1) * interval '1 day' ELSE c.opened_at + interval '17 days' END,
            CASE WHEN (s.h / 10) % 4 > 0 THEN c.opened_at + interval '10 days' END,
            c.primary_counselor_id, c.opened_at + interval '3 days', c.opened_at + interval '3 days'
       FROM cases c JOIN seed_cases s ON s.id = c.id
      WHERE c.has_referral AND c.primary_counselor_id IS NOT NULL`,
    [dir.organizations],
  );
  // Notifications: about 2,000 per counselor and supervisor, the newest 5 % unread.
  await db.query(
    `INSERT INTO notifications (user_id, event_key, kind, title, case_id, created_at, read_at)
     SELECT u, 'seed:' || u || ':' || n, 'task_due', '期限の近いタスクがあります', c.id,
            now() - n * interval '1 hour', CASE WHEN n > 100 THEN now() - n * interval '1 hour' + interval '10 minutes' END
       FROM unnest($1::uuid[]) AS u
       CROSS JOIN generate_series(1, 2000) AS n
       JOIN seed_cases s ON s.i = 1 + (n * 37 + ascii(u::text)) % ${CASES}
       JOIN cases c ON c.id = s.id`,
    [[...dir.counselors.flat(), ...dir.supervisors.flat()]],
  );
}

/** cases.search_key as the triggers of migrations/1796416200000-CaseSearchKey.ts keep it, for every case at once. */
async function caseSearchKeys(db: Client): Promise<void> {
  await db.query(`
    WITH members AS (
      SELECT m.household_id, string_agg(p.search_key, '' ORDER BY p.id) AS keys
        FROM household_members m JOIN persons p ON p.id = m.person_id GROUP BY m.household_id)
    UPDATE cases c SET search_key = s.search_key || coalesce(k.keys, '') || h.search_key
      FROM persons s, households h LEFT JOIN members k ON k.household_id = h.id
     WHERE s.id = c.subject_id AND h.id = c.household_id`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('seed:scale failed:', error);
      process.exit(1);
    },
  );
}
