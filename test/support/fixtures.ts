import type { LightMyRequestResponse } from 'fastify';
import { hashPassword } from '../../src/directory/passwords';
import type { Role } from '../../src/access/roles';
import { AuditLog } from '../../src/audit/audit.service';
import { UsersService } from '../../src/directory/users.service';
import type { TestApp } from './test-app';

export const PASSWORD = 'correct-horse-battery';
let passwordHash: Promise<string> | undefined;

export interface TestUser {
  id: string;
  username: string;
  roles: Role[];
  token: string;
  refreshToken: string;
}

type InjectOptions = {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
};

/** A request as `user` (or anonymous). */
export function call(t: TestApp, user: TestUser | null, options: InjectOptions): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: options.method,
    url: options.url,
    payload: options.payload as string | object | undefined,
    headers: { ...(user ? { authorization: `Bearer ${user.token}` } : {}), ...options.headers },
  });
}

export async function login(t: TestApp, username: string, password = PASSWORD) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
}

/** Creates a user straight in the database, with the shared test PASSWORD, without logging in. */
export async function insertUser(
  t: Pick<TestApp, 'app' | 'db'>,
  username: string,
  roles: Role[],
  options: { mustChangePassword?: boolean } = {},
): Promise<string> {
  passwordHash ??= hashPassword(PASSWORD);
  const users = t.app.get(UsersService);
  const user = await t.db.transaction((m) =>
    users.insert(m, {
      username,
      displayName: `Test ${username}`,
      roles,
      passwordHash: '',
      mustChangePassword: options.mustChangePassword ?? false,
    }),
  );
  await t.db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [user.id, await passwordHash]);
  return user.id;
}

/** Creates a user straight in the database and logs them in through the API. */
export async function createUser(
  t: TestApp,
  username: string,
  roles: Role[],
  options: { mustChangePassword?: boolean } = {},
): Promise<TestUser> {
  const id = await insertUser(t, username, roles, options);
  const res = await login(t, username);
  if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.body}`);
  const body = res.json<{ accessToken: string; refreshToken: string }>();
  return { id, username, roles, token: body.accessToken, refreshToken: body.refreshToken };
}

export async function createDistrict(t: TestApp, code: string, areas: string[] = []): Promise<string> {
  const [row] = (await t.db.query(`INSERT INTO districts (code, name, areas) VALUES ($1, $2, $3) RETURNING id`, [
    code,
    `${code} district`,
    areas,
  ])) as { id: string }[];
  return row.id;
}

/** An organization of the directory, created over the API by an admin; returns its id. */
export async function createOrganization(
  t: TestApp,
  admin: TestUser,
  payload: { name: string; type: string; councilMember: boolean; kind?: 'internal' | 'external' },
): Promise<string> {
  const res = await call(t, admin, {
    method: 'POST',
    url: '/api/v1/organizations',
    payload: { kind: 'external', ...payload },
  });
  if (res.statusCode !== 201) throw new Error(`createOrganization: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}

export async function addMember(t: TestApp, districtId: string, userId: string, role: 'member' | 'lead' = 'member') {
  await t.db.query(`INSERT INTO district_members (district_id, user_id, role) VALUES ($1, $2, $3)`, [
    districtId,
    userId,
    role,
  ]);
}

export async function addSupervisor(t: TestApp, districtId: string, userId: string) {
  await t.db.query(`INSERT INTO district_supervisors (district_id, user_id) VALUES ($1, $2)`, [districtId, userId]);
}

/**
 * The standard cast: two districts, A and B; a supervisor and two counselors
 * (one the lead) in A, the same in B; staff; an admin.
 */
export async function createWorld(t: TestApp) {
  const districtA = await createDistrict(t, 'district_a', ['中央一丁目', '700-0001']);
  const districtB = await createDistrict(t, 'district_b', ['北町']);
  const admin = await createUser(t, 'admin1', ['admin']);
  const supervisorA = await createUser(t, 'supervisor_a', ['supervisor']);
  const supervisorB = await createUser(t, 'supervisor_b', ['supervisor']);
  const counselorA = await createUser(t, 'counselor_a', ['counselor']);
  const leadA = await createUser(t, 'lead_a', ['counselor']);
  const counselorB = await createUser(t, 'counselor_b', ['counselor']);
  const leadB = await createUser(t, 'lead_b', ['counselor']);
  const staff = await createUser(t, 'staff1', ['staff']);
  await addSupervisor(t, districtA, supervisorA.id);
  await addSupervisor(t, districtB, supervisorB.id);
  await addMember(t, districtA, counselorA.id);
  await addMember(t, districtA, leadA.id, 'lead');
  await addMember(t, districtB, counselorB.id);
  await addMember(t, districtB, leadB.id, 'lead');
  return { districtA, districtB, admin, supervisorA, supervisorB, counselorA, leadA, counselorB, leadB, staff };
}

export type World = Awaited<ReturnType<typeof createWorld>>;

export function auditLog(t: TestApp): AuditLog {
  return t.app.get(AuditLog);
}
