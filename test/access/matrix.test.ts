import { MATRIX, Permission, PERMISSIONS } from '../../src/access/matrix';
import { buildAbility, allows, scopeWhere } from '../../src/access/policy';
import { ROLES, Role } from '../../src/access/roles';
import { call, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * access.md's matrix, transcribed cell by cell: `all` (every record), `scoped`
 * (records in the user's scope) or `-` (the role never may: 403).
 */
type Cell = 'all' | 'scoped' | '-';
const ACCESS_MD: Record<Permission, [counselor: Cell, supervisor: Cell, staff: Cell, admin: Cell]> = {
  'case.intake': ['all', 'all', '-', '-'],
  'case.read': ['scoped', 'scoped', '-', '-'],
  'case.read_header': ['scoped', 'scoped', 'scoped', '-'],
  'case.edit': ['scoped', 'scoped', '-', '-'],
  'case.triage': ['-', 'scoped', '-', '-'],
  'case.progress': ['scoped', 'scoped', '-', '-'],
  'case.close': ['-', 'scoped', '-', '-'],
  // not in access.md: approving a support plan (issue 14, docs/domain.md "Who may do what")
  'plan.approve': ['-', 'scoped', '-', '-'],
  'referral.create_outgoing': ['scoped', 'scoped', 'scoped', '-'],
  'referral.register_incoming': ['all', 'all', 'all', '-'],
  'referral.transition': ['scoped', 'scoped', 'all', '-'],
  'referral.read': ['scoped', 'scoped', 'all', '-'],
  'task.manage': ['scoped', 'scoped', 'scoped', '-'],
  'task.read': ['scoped', 'scoped', 'scoped', '-'],
  'task.reassign': ['-', 'scoped', '-', '-'],
  'conference.manage': ['scoped', 'scoped', '-', '-'],
  'conference.read': ['scoped', 'scoped', 'scoped', '-'],
  'notification.read': ['scoped', 'scoped', 'scoped', 'scoped'],
  'stats.read': ['-', 'scoped', 'all', 'all'],
  'audit.read': ['-', 'scoped', '-', 'all'],
  'audit.verify': ['-', '-', '-', 'all'],
  'directory.read': ['all', 'all', 'all', 'all'],
  'directory.manage': ['-', '-', '-', 'all'],
  'membership.manage': ['-', 'scoped', '-', 'all'],
  'queues.view': ['-', '-', '-', 'all'],
};

describe('the permission matrix as data', () => {
  it('has exactly the rows of access.md, each cell as access.md says', () => {
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(ACCESS_MD).sort());
    const differences: string[] = [];
    for (const permission of PERMISSIONS) {
      ROLES.forEach((role, i) => {
        const grant = (MATRIX[permission] as Partial<Record<Role, unknown>>)[role];
        const actual: Cell = grant === undefined ? '-' : grant === true ? 'all' : 'scoped';
        if (actual !== ACCESS_MD[permission][i])
          differences.push(`${permission} × ${role}: ${actual}, expected ${ACCESS_MD[permission][i]}`);
      });
    }
    expect(differences).toEqual([]);
  });

  const scope = { userId: 'u1', memberDistrictIds: ['dA'], overseenDistrictIds: ['dS'] };
  const caseIn = (districtId: string, extra: object = {}) => ({
    districtId,
    confidential: false,
    assigneeIds: [],
    hasReferral: false,
    ...extra,
  });

  it('lets a counselor read open cases of their districts and any case they are assigned to', () => {
    const counselor = { ability: buildAbility(['counselor'], scope) };
    expect(allows(counselor, 'case.read', caseIn('dA'))).toBe(true);
    expect(allows(counselor, 'case.read', caseIn('dA', { confidential: true }))).toBe(false);
    expect(allows(counselor, 'case.read', caseIn('dX', { confidential: true, assigneeIds: ['u1'] }))).toBe(true);
    expect(allows(counselor, 'case.read', caseIn('dX'))).toBe(false);
    expect(allows(counselor, 'case.edit', caseIn('dA'))).toBe(false);
    expect(allows(counselor, 'case.edit', caseIn('dA', { assigneeIds: ['u2', 'u1'] }))).toBe(true);
  });

  it('lets a supervisor act in overseen districts, confidential included, and nowhere else', () => {
    const supervisor = { ability: buildAbility(['supervisor'], scope) };
    expect(allows(supervisor, 'case.close', caseIn('dS', { confidential: true }))).toBe(true);
    expect(allows(supervisor, 'case.close', caseIn('dA'))).toBe(false);
    expect(allows(supervisor, 'referral.read', { case: caseIn('dS') })).toBe(true);
  });

  it('compiles the same rules to SQL, and to FALSE for a role with no grant', () => {
    const fields = {
      districtId: { sql: 'c.district_id' },
      confidential: { sql: 'c.confidential' },
      assigneeIds: { sql: 'c.assignee_ids', array: 'uuid' as const },
      hasReferral: { sql: 'c.has_referral' },
    };
    const counselor = scopeWhere({ ability: buildAbility(['counselor'], scope) }, 'case.read', fields);
    const where = (counselor as unknown as { whereFactory: (qb: unknown) => void }).whereFactory;
    let sql = '';
    let params: Record<string, unknown> = {};
    where({ where: (s: string, p: Record<string, unknown>) => ((sql = s), (params = p)) });
    expect(sql).toMatch(/c\.assignee_ids @> ARRAY\[:\w+\]::uuid\[\]/);
    expect(sql).toMatch(/c\.district_id = ANY\(/);
    expect(Object.values(params)).toEqual(expect.arrayContaining(['u1', ['dA'], false]));
    const staff = scopeWhere({ ability: buildAbility(['staff'], scope) }, 'case.read', fields);
    (staff as unknown as { whereFactory: (qb: unknown) => void }).whereFactory({ where: (s: string) => (sql = s) });
    expect(sql).toBe('FALSE');
    expect(() =>
      scopeWhere({ ability: buildAbility(['counselor'], scope) }, 'case.read', { districtId: { sql: 'x' } }),
    ).toThrow(/no SQL mapping/);
  });
});

/** The rows this issue serves over HTTP, walked for every role. */
describe('the matrix over HTTP: directory, audit log, queue dashboard', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
  });
  afterAll(async () => t?.close());

  const roles = () => ({ counselor: w.counselorA, supervisor: w.supervisorA, staff: w.staff, admin: w.admin });

  it.each([
    ['GET', '/api/v1/users'],
    ['GET', '/api/v1/districts'],
    ['GET', '/api/v1/organizations'],
    ['GET', '/api/v1/code-lists'],
  ] as const)('%s %s: every role may read the directory', async (method, url) => {
    for (const [role, user] of Object.entries(roles())) {
      const res = await call(t, user, { method, url });
      expect([role, res.statusCode]).toEqual([role, 200]);
    }
    expect((await call(t, null, { method, url })).statusCode).toBe(401);
  });

  it('only admins create users, districts and organizations', async () => {
    const bodies = {
      '/api/v1/users': (r: string) => ({ username: `new_${r}`, displayName: 'N', roles: ['counselor'] }),
      '/api/v1/districts': (r: string) => ({ code: `d_${r}`, name: 'D', areas: [] }),
      '/api/v1/organizations': (r: string) => ({
        name: `Org ${r}`,
        kind: 'external',
        type: 'school',
        councilMember: true,
      }),
    };
    for (const [url, body] of Object.entries(bodies)) {
      for (const [role, user] of Object.entries(roles())) {
        const res = await call(t, user, { method: 'POST', url, payload: body(role) });
        expect([url, role, res.statusCode]).toEqual([url, role, role === 'admin' ? 201 : 403]);
      }
    }
  });

  it('memberships: admins anywhere, supervisors in overseen districts only, nobody else', async () => {
    const payload = { userId: w.counselorB.id, role: 'member' };
    const inA = `/api/v1/districts/${w.districtA}/members`;
    const inB = `/api/v1/districts/${w.districtB}/members`;
    expect((await call(t, w.counselorA, { method: 'POST', url: inA, payload })).statusCode).toBe(403);
    expect((await call(t, w.staff, { method: 'POST', url: inA, payload })).statusCode).toBe(403);
    expect((await call(t, w.supervisorB, { method: 'POST', url: inA, payload })).statusCode).toBe(403);
    expect((await call(t, w.supervisorA, { method: 'POST', url: inA, payload })).statusCode).toBe(201);
    expect((await call(t, w.supervisorA, { method: 'DELETE', url: `${inA}/${w.counselorB.id}` })).statusCode).toBe(204);
    expect(
      (await call(t, w.admin, { method: 'POST', url: inB, payload: { userId: w.counselorA.id, role: 'member' } }))
        .statusCode,
    ).toBe(201);
    // supervisors of districts are the admin's to appoint
    const sup = { userId: w.supervisorB.id };
    expect(
      (
        await call(t, w.supervisorA, {
          method: 'POST',
          url: `/api/v1/districts/${w.districtA}/supervisors`,
          payload: sup,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await call(t, w.admin, { method: 'POST', url: `/api/v1/districts/${w.districtA}/supervisors`, payload: sup }))
        .statusCode,
    ).toBe(201);
  });

  it('a user cannot raise their own roles or scope', async () => {
    const self = await call(t, w.supervisorA, {
      method: 'POST',
      url: `/api/v1/districts/${w.districtA}/members`,
      payload: { userId: w.supervisorA.id, role: 'member' },
    });
    expect(self.statusCode).toBe(403);
    const me = (await call(t, w.admin, { method: 'GET', url: `/api/v1/users/${w.admin.id}` })).json();
    const raise = await call(t, w.admin, {
      method: 'PATCH',
      url: `/api/v1/users/${w.admin.id}`,
      headers: { 'if-match': `"${me.version}"` },
      payload: { roles: ['admin', 'supervisor'] },
    });
    expect(raise.statusCode).toBe(403);
  });

  it('audit log: admins all, supervisors their districts only, counselors and staff never', async () => {
    await t.db.query(
      `INSERT INTO audit_events (action, entity_type, entity_id, district_id) VALUES ('read', 'case', 'in-a', $1), ('read', 'case', 'in-b', $2)`,
      [w.districtA, w.districtB],
    );
    expect((await call(t, w.counselorA, { method: 'GET', url: '/api/v1/audit-events' })).statusCode).toBe(403);
    expect((await call(t, w.staff, { method: 'GET', url: '/api/v1/audit-events' })).statusCode).toBe(403);
    const sup = await call(t, w.supervisorA, { method: 'GET', url: '/api/v1/audit-events?entityType=case&limit=100' });
    expect(sup.statusCode).toBe(200);
    expect(sup.json().items.map((e: { entityId: string }) => e.entityId)).toEqual(['in-a']);
    const admin = await call(t, w.admin, { method: 'GET', url: '/api/v1/audit-events?entityType=case&limit=100' });
    expect(
      admin
        .json()
        .items.map((e: { entityId: string }) => e.entityId)
        .sort(),
    ).toEqual(['in-a', 'in-b']);
    for (const user of [w.counselorA, w.supervisorA, w.staff]) {
      expect((await call(t, user, { method: 'GET', url: '/api/v1/audit-events/verify' })).statusCode).toBe(403);
    }
    expect((await call(t, w.admin, { method: 'GET', url: '/api/v1/audit-events/verify' })).statusCode).toBe(200);
  });

  it('queue dashboard: admins only', async () => {
    expect((await call(t, null, { method: 'GET', url: '/admin/queues' })).statusCode).toBe(401);
    for (const user of [w.counselorA, w.supervisorA, w.staff]) {
      expect((await call(t, user, { method: 'GET', url: '/admin/queues' })).statusCode).toBe(403);
    }
    const page = await call(t, w.admin, { method: 'GET', url: '/admin/queues' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/html/);
    const api = await call(t, w.admin, { method: 'GET', url: '/admin/queues/api/queues' });
    expect(api.statusCode).toBe(200);
    // The browser flow: token once in the query, then the cookie.
    const viaQuery = await t.app.inject({ method: 'GET', url: `/admin/queues?token=${w.admin.token}` });
    expect(viaQuery.statusCode).toBe(200);
    const cookie = String(viaQuery.headers['set-cookie']).split(';')[0];
    expect(
      (await t.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } })).statusCode,
    ).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/admin/queues?token=${w.staff.token}` })).statusCode).toBe(403);
  });
});
