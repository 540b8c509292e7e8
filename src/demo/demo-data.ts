import { DataSource, EntityManager, In, type QueryDeepPartialEntity } from 'typeorm';
import type { Role } from '../access/roles';
import { AuditLog } from '../audit/audit.service';
import { hashPassword } from '../directory/passwords';
import type { OrganizationType } from '../codes/code-lists';
import { District } from '../directory/district.entity';
import { DistrictMember, DistrictSupervisor, MemberRole } from '../directory/district-membership.entity';
import { Organization, OrganizationContact } from '../directory/organization.entity';
import { UsersService } from '../directory/users.service';

/**
 * Demo data for a local start and for trying the service out (README,
 * "Two commands"): the districts of a fictional reference city (つなぐ市),
 * the organizations domain.md names, and one account or more for every role.
 * Every name, address, telephone number and postal code here is invented.
 */

/** The one password of every demo account. Demo accounts must never hold real data. */
export const DEMO_PASSWORD = 'tsunagu-demo-2026';

/** pg_advisory_xact_lock key (7241001 is the audit sealer, 7241002 the first admin). */
const DEMO_DATA_LOCK = 7_241_003;

/** Its presence means the demo data was loaded (or a real district took the code: then we stay away too). */
const MARKER_DISTRICT = 'chuo';

interface DemoDistrict {
  code: string;
  name: string;
  /** Town names (町名) and postal codes, as District.areas holds them. */
  areas: string[];
}

export const DEMO_DISTRICTS: readonly DemoDistrict[] = [
  {
    code: 'chuo',
    name: '中央地区',
    areas: ['中央一丁目', '中央二丁目', '中央三丁目', '本町', '駅前町', '700-0001', '700-0002', '700-0003'],
  },
  { code: 'kita', name: '北地区', areas: ['北町', '桜ケ丘', '緑町', '山手町', '700-0011', '700-0012', '700-0013'] },
  { code: 'minami', name: '南地区', areas: ['南町', '港町', '浜田', '汐見町', '700-0021', '700-0022'] },
  { code: 'nishi', name: '西地区', areas: ['西町', '若葉台', '川原町', '八幡', '700-0031', '700-0032', '700-0033'] },
];

interface DemoUser {
  username: string;
  displayName: string;
  roles: Role[];
  /** Counselors: the district they belong to, and whether they lead it. */
  district?: { code: string; role: MemberRole };
  /** Supervisors: the districts they oversee. */
  oversees?: string[];
}

const counselor = (n: number, displayName: string, code: string, role: MemberRole): DemoUser => ({
  username: `counselor${n}`,
  displayName,
  roles: ['counselor'],
  district: { code, role },
});

/** Two counselors per district, the first of each pair its lead. All names are fictional. */
export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'admin', displayName: '青木 誠', roles: ['admin'] },
  { username: 'supervisor1', displayName: '佐藤 由美子', roles: ['supervisor'], oversees: ['chuo', 'kita'] },
  { username: 'supervisor2', displayName: '高橋 健一', roles: ['supervisor'], oversees: ['minami', 'nishi'] },
  counselor(1, '田中 美咲', 'chuo', 'lead'),
  counselor(2, '伊藤 翔太', 'chuo', 'member'),
  counselor(3, '渡辺 直子', 'kita', 'lead'),
  counselor(4, '山本 大輔', 'kita', 'member'),
  counselor(5, '中村 恵', 'minami', 'lead'),
  counselor(6, '小林 拓也', 'minami', 'member'),
  counselor(7, '加藤 陽子', 'nishi', 'lead'),
  counselor(8, '吉田 亮', 'nishi', 'member'),
  { username: 'staff1', displayName: '松本 彩', roles: ['staff'] },
  { username: 'staff2', displayName: '井上 浩二', roles: ['staff'] },
];

interface DemoOrganization {
  name: string;
  kind: 'internal' | 'external';
  type: OrganizationType;
  /** Member of the regional council (要対協): may share under 児童福祉法 第25条の3 without consent. */
  councilMember: boolean;
  contact: OrganizationContact;
}

/** Placeholder contact data: 000- numbers are not dialable in Japan, .example is a reserved domain. */
const contact = (n: number, address: string, mailbox: string, person?: string): OrganizationContact => ({
  phone: `000-000-${String(1000 + n)}`,
  fax: `000-000-${String(2000 + n)}`,
  email: `${mailbox}@tsunagu-city.example`,
  address: `つなぐ市${address}`,
  ...(person ? { person } : {}),
});

export const DEMO_ORGANIZATIONS: readonly DemoOrganization[] = [
  // 庁内 (domain.md): the city's own departments are council members as a matter of course.
  {
    name: 'おやこ応援課',
    kind: 'internal',
    type: 'municipal_department',
    councilMember: true,
    contact: contact(1, '中央一丁目1-1 市役所本庁舎2階', 'oyako', '母子保健係'),
  },
  {
    name: 'いじめ防止対策推進課',
    kind: 'internal',
    type: 'municipal_department',
    councilMember: true,
    contact: contact(2, '中央一丁目1-1 市役所本庁舎5階', 'ijime-boshi'),
  },
  {
    name: '愛育センター',
    kind: 'internal',
    type: 'municipal_department',
    councilMember: true,
    contact: contact(3, '緑町2-8', 'aiiku', '発達相談係'),
  },
  {
    name: '教育委員会',
    kind: 'internal',
    type: 'municipal_department',
    councilMember: true,
    contact: contact(4, '中央一丁目1-1 市役所本庁舎6階', 'kyoiku', '学校教育課'),
  },
  // 関係機関. The core members of any 要対協: the child guidance center, schools,
  // nurseries, the police and medical institutions.
  {
    name: '県中央児童相談所',
    kind: 'external',
    type: 'child_guidance_center',
    councilMember: true,
    contact: contact(11, '駅前町3-5', 'jisou', '相談調査課'),
  },
  {
    name: 'つなぐ市立中央小学校',
    kind: 'external',
    type: 'school',
    councilMember: true,
    contact: contact(12, '本町4-1', 'chuo-es'),
  },
  {
    name: 'つなぐ市立桜ケ丘小学校',
    kind: 'external',
    type: 'school',
    councilMember: true,
    contact: contact(13, '桜ケ丘1-10', 'sakuragaoka-es'),
  },
  {
    name: 'つなぐ市立港中学校',
    kind: 'external',
    type: 'school',
    councilMember: true,
    contact: contact(14, '港町2-3', 'minato-jhs'),
  },
  {
    name: 'つなぐ市立若葉保育園',
    kind: 'external',
    type: 'nursery',
    councilMember: true,
    contact: contact(15, '若葉台5-2', 'wakaba-nursery'),
  },
  {
    name: 'みなと認定こども園',
    kind: 'external',
    type: 'nursery',
    councilMember: true,
    contact: contact(16, '汐見町1-7', 'minato-kodomoen'),
  },
  {
    name: 'つなぐ市民病院',
    kind: 'external',
    type: 'hospital',
    councilMember: true,
    contact: contact(17, '山手町6-1', 'hospital', '医療福祉相談室'),
  },
  {
    name: 'つなぐ警察署',
    kind: 'external',
    type: 'police',
    councilMember: true,
    contact: contact(18, '中央三丁目2-2', 'police', '生活安全課'),
  },
  // The council guideline (要保護児童対策地域協議会設置・運営指針) lists the bodies
  // that deal with domestic violence among the usual members; DV-involved cases
  // (dv_involved) are where the center most needs to talk to it.
  {
    name: '県女性相談支援センター',
    kind: 'external',
    type: 'womens_consultation_center',
    councilMember: true,
    contact: contact(19, '川原町8-4', 'josei-shien'),
  },
  // A 母子生活支援施設 is a child welfare facility (児童福祉法 第38条), and
  // child welfare facilities are usual council members.
  {
    name: '母子生活支援施設 あけぼの荘',
    kind: 'external',
    type: 'mother_child_facility',
    councilMember: true,
    contact: contact(20, '西町3-9', 'akebono'),
  },
  // A youth support station is an employment-support service run under
  // contract by a private operator, not a child welfare body: not a member,
  // so sharing with it needs consent (domain.md, "Referrals").
  {
    name: 'つなぐ地域若者サポートステーション',
    kind: 'external',
    type: 'youth_support_station',
    councilMember: false,
    contact: contact(21, '駅前町1-12 駅前ビル3階', 'saposute'),
  },
];

/** For the start-up banner of a local start (main.ts); the password is printed only there. */
export const DEMO_LOGIN_HINT: string[] = (() => {
  const names = (role: Role) => DEMO_USERS.filter((u) => u.roles.includes(role)).map((u) => u.username);
  const districtName = (code: string) => DEMO_DISTRICTS.find((d) => d.code === code)?.name ?? code;
  const supervisors = DEMO_USERS.filter((u) => u.oversees).map(
    (u) => `${u.username} (${(u.oversees ?? []).map(districtName).join('・')})`,
  );
  const counselors = names('counselor');
  return [
    `  Demo logins    password ${DEMO_PASSWORD} for every account below`,
    `    admin        ${names('admin').join(', ')}`,
    `    supervisor   ${supervisors.join(', ')}`,
    `    counselor    ${counselors[0]} .. ${counselors[counselors.length - 1]} (two per district, odd numbers lead)`,
    `    staff        ${names('staff').join(', ')}`,
  ];
})();

export interface DemoDataResult {
  created: boolean;
  /** What was inserted (when created). */
  counts?: { districts: number; organizations: number; users: number; memberships: number; supervisions: number };
  /** Demo usernames that already belonged to another account and were left alone. */
  skippedUsernames?: string[];
}

/**
 * Loads the demo data, once: a second call (or a concurrent one in another
 * process) finds the marker district and changes nothing. One transaction, so
 * a failure leaves nothing half-loaded.
 */
export async function loadDemoData(db: DataSource, users: UsersService, audit: AuditLog): Promise<DemoDataResult> {
  // Cheap check first, so a restart does not pay for hashing a password.
  if (await markerExists(db.manager)) return { created: false };
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  return db.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [DEMO_DATA_LOCK]);
    if (await markerExists(m)) return { created: false };

    const districts = await insertDistricts(m);
    // An organization whose name exists already is left as it is.
    const organizations = await insertIgnoringConflicts(
      m,
      Organization,
      DEMO_ORGANIZATIONS.map((o) => ({ ...o, active: true })),
    );

    // A demo username may already be taken, e.g. by the first admin created
    // from ADMIN_USERNAME=admin: that account is left as it is and gets no
    // demo memberships.
    const taken = new Set(
      (
        (await m.query(`SELECT lower(username) AS username FROM users WHERE lower(username) = ANY($1)`, [
          DEMO_USERS.map((u) => u.username),
        ])) as { username: string }[]
      ).map((r) => r.username),
    );
    const members: Partial<DistrictMember>[] = [];
    const supervisions: Partial<DistrictSupervisor>[] = [];
    let userCount = 0;
    for (const demo of DEMO_USERS) {
      if (taken.has(demo.username)) continue;
      const user = await users.insert(m, {
        username: demo.username,
        displayName: demo.displayName,
        email: `${demo.username}@tsunagu-city.example`,
        roles: demo.roles,
        passwordHash,
        // A demo: nobody is asked to change the shared password.
        mustChangePassword: false,
      });
      userCount += 1;
      if (demo.district) {
        members.push({ districtId: districts.ids.get(demo.district.code), userId: user.id, role: demo.district.role });
      }
      for (const code of demo.oversees ?? []) {
        supervisions.push({ districtId: districts.ids.get(code), userId: user.id });
      }
    }
    // valid_from defaults to now() (the transaction's start); valid_to stays open.
    if (members.length > 0) await m.getRepository(DistrictMember).insert(members);
    if (supervisions.length > 0) await m.getRepository(DistrictSupervisor).insert(supervisions);

    const counts = {
      districts: districts.inserted,
      organizations,
      users: userCount,
      memberships: members.length,
      supervisions: supervisions.length,
    };
    await audit.record(
      m,
      { ip: null, requestId: null },
      { action: 'create', entityType: 'demo_data', summary: { ...counts, usersSkipped: taken.size } },
    );
    return { created: true, counts, skippedUsernames: [...taken] };
  });
}

async function markerExists(m: EntityManager): Promise<boolean> {
  return m.getRepository(District).existsBy({ code: MARKER_DISTRICT });
}

/**
 * The demo districts' ids by code, and how many were inserted: a code that
 * exists already (a real district) is kept as it is and reused.
 */
async function insertDistricts(m: EntityManager): Promise<{ ids: Map<string, string>; inserted: number }> {
  const inserted = await insertIgnoringConflicts(
    m,
    District,
    DEMO_DISTRICTS.map((d) => ({ code: d.code, name: d.name, areas: d.areas })),
  );
  const rows = await m.getRepository(District).findBy({ code: In(DEMO_DISTRICTS.map((d) => d.code)) });
  return { ids: new Map(rows.map((d) => [d.code, d.id])), inserted };
}

/**
 * INSERT ... ON CONFLICT DO NOTHING; returns how many rows went in. The
 * entities are not updated from RETURNING, whose rows no longer line up with
 * the values once some are skipped.
 */
async function insertIgnoringConflicts<T extends object>(
  m: EntityManager,
  target: new () => T,
  values: QueryDeepPartialEntity<T>[],
): Promise<number> {
  const result = await m
    .createQueryBuilder()
    .insert()
    .into(target)
    .values(values)
    .orIgnore()
    .returning('id')
    .updateEntity(false)
    .execute();
  return (result.raw as unknown[]).length;
}
