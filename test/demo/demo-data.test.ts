import { AuditLog } from '../../src/audit/audit.service';
import { createFirstAdmin } from '../../src/auth/first-admin';
import { DEMO_LOGIN_HINT, DEMO_ORGANIZATIONS, DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data';
import { UsersService } from '../../src/directory/users.service';
import { startTestApp, TestApp } from '../support/test-app';

const load = (t: TestApp) => loadDemoData(t.db, t.app.get(UsersService), t.app.get(AuditLog));
const count = async (t: TestApp, sql: string): Promise<number> => ((await t.db.query(sql)) as { n: number }[])[0].n;

describe('demo data', () => {
  let t: TestApp;
  let first: Awaited<ReturnType<typeof loadDemoData>>;
  let second: Awaited<ReturnType<typeof loadDemoData>>;
  let concurrent: Awaited<ReturnType<typeof loadDemoData>>[];
  beforeAll(async () => {
    t = await startTestApp();
    // Two at once (two API processes starting together): the advisory lock lets one load.
    const both = await Promise.all([load(t), load(t)]);
    first = both.find((r) => r.created) ?? both[0];
    concurrent = both.filter((r) => !r.created);
    second = await load(t);
  });
  afterAll(async () => t?.close());

  it('loads once; a second call changes nothing', async () => {
    expect(first).toMatchObject({
      created: true,
      counts: { districts: 4, organizations: DEMO_ORGANIZATIONS.length, users: 13, memberships: 8, supervisions: 4 },
      skippedUsernames: [],
    });
    expect(concurrent).toEqual([{ created: false }]);
    expect(second).toEqual({ created: false });
    expect(await count(t, `SELECT count(*)::int AS n FROM districts`)).toBe(4);
    expect(await count(t, `SELECT count(*)::int AS n FROM users`)).toBe(13);
    expect(await count(t, `SELECT count(*)::int AS n FROM organizations`)).toBe(DEMO_ORGANIZATIONS.length);
    expect(await count(t, `SELECT count(*)::int AS n FROM district_members`)).toBe(8);
    expect(await count(t, `SELECT count(*)::int AS n FROM district_supervisors`)).toBe(4);
    const audit = await t.db.query(
      `SELECT action, actor_id, summary FROM audit_events WHERE entity_type = 'demo_data'`,
    );
    expect(audit).toEqual([
      {
        action: 'create',
        actor_id: null,
        summary: expect.objectContaining({ districts: 4, users: 13, usersSkipped: 0 }),
      },
    ]);
  });

  it('creates four districts with areas', async () => {
    const rows = (await t.db.query(`SELECT code, name, areas FROM districts ORDER BY code`)) as {
      code: string;
      name: string;
      areas: string[];
    }[];
    expect(rows.map((r) => [r.code, r.name])).toEqual([
      ['chuo', '中央地区'],
      ['kita', '北地区'],
      ['minami', '南地区'],
      ['nishi', '西地区'],
    ]);
    for (const r of rows) {
      expect(r.areas.filter((a) => /^\d{3}-\d{4}$/.test(a)).length).toBeGreaterThanOrEqual(2);
      expect(r.areas.filter((a) => !/^\d{3}-\d{4}$/.test(a)).length).toBeGreaterThanOrEqual(2);
    }
    const areas = rows.flatMap((r) => r.areas);
    expect(new Set(areas).size).toBe(areas.length);
  });

  it('creates a user for every role, all active, with the demo password and no forced change', async () => {
    const users = (await t.db.query(
      `SELECT username, roles, display_name, active, must_change_password FROM users ORDER BY username`,
    )) as { username: string; roles: string[]; display_name: string; active: boolean; must_change_password: boolean }[];
    const byRole = (role: string) =>
      users
        .filter((u) => u.roles.includes(role))
        .map((u) => u.username)
        .sort();
    expect(byRole('admin')).toEqual(['admin']);
    expect(byRole('supervisor')).toEqual(['supervisor1', 'supervisor2']);
    expect(byRole('counselor')).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `counselor${n}`));
    expect(byRole('staff')).toEqual(['staff1', 'staff2']);
    for (const u of users) {
      expect(u.roles).toHaveLength(1);
      expect(u.active).toBe(true);
      expect(u.must_change_password).toBe(false);
      expect(u.display_name).not.toBe('');
    }
    expect(DEMO_PASSWORD.length).toBeGreaterThanOrEqual(12);
    // One hash, shared: hashed once.
    expect(await count(t, `SELECT count(DISTINCT password_hash)::int AS n FROM users`)).toBe(1);
  });

  it('gives each district two current counselors, exactly one of them its lead', async () => {
    const rows = (await t.db.query(
      `SELECT d.code, u.username, m.role FROM district_members m
         JOIN districts d ON d.id = m.district_id JOIN users u ON u.id = m.user_id
        WHERE m.valid_from <= now() AND m.valid_to IS NULL ORDER BY d.code, u.username`,
    )) as { code: string; username: string; role: string }[];
    expect(rows).toEqual([
      { code: 'chuo', username: 'counselor1', role: 'lead' },
      { code: 'chuo', username: 'counselor2', role: 'member' },
      { code: 'kita', username: 'counselor3', role: 'lead' },
      { code: 'kita', username: 'counselor4', role: 'member' },
      { code: 'minami', username: 'counselor5', role: 'lead' },
      { code: 'minami', username: 'counselor6', role: 'member' },
      { code: 'nishi', username: 'counselor7', role: 'lead' },
      { code: 'nishi', username: 'counselor8', role: 'member' },
    ]);
  });

  it('has supervisor1 oversee chuo and kita, supervisor2 minami and nishi', async () => {
    const rows = await t.db.query(
      `SELECT u.username, array_agg(d.code ORDER BY d.code) AS codes FROM district_supervisors s
         JOIN districts d ON d.id = s.district_id JOIN users u ON u.id = s.user_id
        WHERE s.valid_from <= now() AND s.valid_to IS NULL GROUP BY u.username ORDER BY u.username`,
    );
    expect(rows).toEqual([
      { username: 'supervisor1', codes: ['chuo', 'kita'] },
      { username: 'supervisor2', codes: ['minami', 'nishi'] },
    ]);
  });

  it('creates the organizations domain.md names, with the council flags chosen', async () => {
    const rows = (await t.db.query(
      `SELECT name, kind, type, council_member, contact, active FROM organizations ORDER BY name`,
    )) as { name: string; kind: string; type: string; council_member: boolean; contact: object; active: boolean }[];
    const internal = rows.filter((o) => o.kind === 'internal');
    expect(internal.map((o) => o.name).sort()).toEqual(
      ['おやこ応援課', 'いじめ防止対策推進課', '愛育センター', '教育委員会'].sort(),
    );
    for (const o of internal) expect(o).toMatchObject({ type: 'municipal_department', council_member: true });

    const council = (type: string) => rows.filter((o) => o.type === type).map((o) => o.council_member);
    expect(council('child_guidance_center')).toEqual([true]);
    expect(council('school').length).toBeGreaterThanOrEqual(2);
    expect(council('nursery').length).toBeGreaterThanOrEqual(2);
    for (const type of [
      'school',
      'nursery',
      'hospital',
      'police',
      'womens_consultation_center',
      'mother_child_facility',
    ]) {
      expect(council(type).length).toBeGreaterThan(0);
      expect(council(type).every(Boolean)).toBe(true);
    }
    expect(council('youth_support_station')).toEqual([false]);
    for (const o of rows) {
      expect(o.active).toBe(true);
      expect(o.contact).toMatchObject({ phone: expect.stringMatching(/^000-/), email: expect.any(String) });
    }
  });

  it('lets counselor1 log in with the demo password, as the lead of chuo', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'counselor1', password: DEMO_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.accessToken).toEqual(expect.any(String));
    expect(body.user).toMatchObject({
      username: 'counselor1',
      mustChangePassword: false,
      districts: [expect.objectContaining({ code: 'chuo', role: 'lead' })],
    });
  });

  it('names every demo login and the password in the banner hint', () => {
    const hint = DEMO_LOGIN_HINT.join('\n');
    for (const name of ['admin', 'supervisor1', 'supervisor2', 'counselor1', 'counselor8', 'staff1', 'staff2']) {
      expect(hint).toContain(name);
    }
    expect(hint).toContain(DEMO_PASSWORD);
  });
});

describe('demo data next to an existing account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('leaves an account that holds a demo username alone (ADMIN_USERNAME=admin with a local start)', async () => {
    const audit = t.app.get(AuditLog);
    expect(await createFirstAdmin(t.db, t.app.get(UsersService), audit, 'admin', 'the-real-admin-passphrase')).toBe(
      true,
    );
    const result = await load(t);
    expect(result).toMatchObject({ created: true, counts: { users: 12 }, skippedUsernames: ['admin'] });
    const [admin] = await t.db.query(`SELECT display_name, must_change_password FROM users WHERE username = 'admin'`);
    expect(admin).toEqual({ display_name: 'Administrator', must_change_password: true });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: DEMO_PASSWORD },
    });
    expect(res.statusCode).toBe(401);
  });
});
