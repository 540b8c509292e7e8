import { createApp } from '../../src/app';
import { call, createUser, createWorld, login, PASSWORD, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('authentication (access.md, "Authentication")', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
  });
  afterAll(async () => t?.close());

  const refresh = (refreshToken: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });

  it('logs in with username and password and tells who is logged in', async () => {
    const res = await login(t, 'counselor_a');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ expiresIn: 900, user: { username: 'counselor_a', roles: ['counselor'] } });
    expect(body.user.districts).toEqual([expect.objectContaining({ districtId: w.districtA, role: 'member' })]);
    expect(JSON.stringify(body)).not.toMatch(/passwordHash|password_hash|\$argon2/);
    const me = await call(t, { ...w.counselorA, token: body.accessToken }, { method: 'GET', url: '/api/v1/auth/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: w.counselorA.id, username: 'counselor_a', mustChangePassword: false });
  });

  it('answers a wrong password and an unknown user with the same 401 body', async () => {
    const wrong = await login(t, 'lead_b', 'not-the-password');
    const unknown = await login(t, 'nobody_here', 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json()).toMatchObject({ code: 'unauthenticated' });
  });

  it('refuses malformed login bodies with 400 without counting them as attempts', async () => {
    for (const payload of [
      { username: 'staff1' },
      { username: 'staff1', password: PASSWORD, extra: 1 },
      [],
      { username: 5, password: 'x' },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    const [row] = await t.db.query(`SELECT failed_login_count FROM users WHERE username = 'staff1'`);
    expect(row.failed_login_count).toBe(0);
  });

  it('rejects requests without a token, with a bad token or a tampered one', async () => {
    expect((await call(t, null, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    const bad = await call(t, { ...w.staff, token: 'garbage' }, { method: 'GET', url: '/api/v1/auth/me' });
    expect(bad.statusCode).toBe(401);
    const [h, p] = w.staff.token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: w.admin.id }),
    ).toString('base64url');
    const tampered = await call(
      t,
      { ...w.staff, token: `${h}.${forged}.${w.staff.token.split('.')[2]}` },
      { method: 'GET', url: '/api/v1/auth/me' },
    );
    expect(tampered.statusCode).toBe(401);
  });

  it('rotates refresh tokens: each is single-use and yields a new pair', async () => {
    const first = (await login(t, 'lead_a')).json();
    const second = await refresh(first.refreshToken);
    expect(second.statusCode).toBe(200);
    const pair = second.json();
    expect(pair.refreshToken).not.toBe(first.refreshToken);
    const third = await refresh(pair.refreshToken);
    expect(third.statusCode).toBe(200);
  });

  it('revokes the whole family when a used refresh token is presented again', async () => {
    const first = (await login(t, 'lead_a')).json();
    const second = (await refresh(first.refreshToken)).json();
    // The stolen, already-used first token comes back:
    const reuse = await refresh(first.refreshToken);
    expect(reuse.statusCode).toBe(401);
    // ...and the legitimate newest token of the family is dead too.
    expect((await refresh(second.refreshToken)).statusCode).toBe(401);
    const events = await t.db.query(`SELECT action FROM audit_events WHERE action = 'token_reuse' AND entity_id = $1`, [
      w.leadA.id,
    ]);
    expect(events).toHaveLength(1);
  });

  it('rejects malformed and unknown refresh tokens', async () => {
    for (const token of ['x', '00000000-0000-4000-8000-000000000000.abc', `${'a'.repeat(36)}.b`]) {
      expect((await refresh(token)).statusCode).toBe(401);
    }
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: {} })).statusCode).toBe(400);
  });

  it('logout revokes the refresh token family', async () => {
    const session = (await login(t, 'counselor_b')).json();
    const user = { ...w.counselorB, token: session.accessToken };
    const out = await call(t, user, {
      method: 'POST',
      url: '/api/v1/auth/logout',
      payload: { refreshToken: session.refreshToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await refresh(session.refreshToken)).statusCode).toBe(401);
  });

  it('locks an account after 5 failed logins in 15 minutes, and lets it in again after the lock expires', async () => {
    const victim = await createUser(t, 'lock_me', ['counselor']);
    for (let i = 0; i < 5; i += 1) expect((await login(t, 'lock_me', 'wrong-password-x')).statusCode).toBe(401);
    const locked = await login(t, 'lock_me');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'rate_limited' });
    // Fifteen minutes pass:
    await t.db.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [victim.id]);
    expect((await login(t, 'lock_me')).statusCode).toBe(200);
    const [row] = await t.db.query('SELECT failed_login_count, locked_until FROM users WHERE id = $1', [victim.id]);
    expect(row).toEqual({ failed_login_count: 0, locked_until: null });
  });

  it('counts failures only within a 15-minute window', async () => {
    const user = await createUser(t, 'slow_typo', ['counselor']);
    for (let i = 0; i < 4; i += 1) await login(t, 'slow_typo', 'wrong-password-x');
    await t.db.query(`UPDATE users SET failed_login_window_start = now() - interval '16 minutes' WHERE id = $1`, [
      user.id,
    ]);
    for (let i = 0; i < 2; i += 1) await login(t, 'slow_typo', 'wrong-password-x');
    expect((await login(t, 'slow_typo')).statusCode).toBe(200);
  });

  /** Refresh tokens of a user not revoked yet. */
  const liveRefreshTokens = async (userId: string) =>
    (
      (await t.db.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`, [
        userId,
      ])) as { n: number }[]
    )[0].n;

  it('deactivating a user cuts off their live access token at once', async () => {
    const target = await createUser(t, 'leaving', ['counselor']);
    expect((await call(t, target, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    const res = await call(t, w.admin, { method: 'POST', url: `/api/v1/users/${target.id}/deactivate` });
    expect(res.statusCode).toBe(200);
    expect((await call(t, target, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await refresh(target.refreshToken)).statusCode).toBe(401);
    expect((await login(t, 'leaving')).statusCode).toBe(401);
    expect(await liveRefreshTokens(target.id)).toBe(0);
  });

  it('a password reset makes existing tokens useless and forces a change', async () => {
    const target = await createUser(t, 'forgetful', ['counselor']);
    const reset = await call(t, w.admin, { method: 'POST', url: `/api/v1/users/${target.id}/reset-password` });
    expect(reset.statusCode).toBe(200);
    const { oneTimePassword } = reset.json();
    expect(oneTimePassword).toHaveLength(16);
    expect((await call(t, target, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect(await liveRefreshTokens(target.id)).toBe(0);
    const fresh = (await login(t, 'forgetful', oneTimePassword)).json();
    const user = { ...target, token: fresh.accessToken };
    expect(fresh.user.mustChangePassword).toBe(true);
    // Until the password is changed, only the password routes answer.
    const blocked = await call(t, user, { method: 'GET', url: '/api/v1/districts' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('password_change_required');
    const short = await call(t, user, {
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: oneTimePassword, newPassword: 'short' },
    });
    expect(short.statusCode).toBe(400);
    const wrong = await call(t, user, {
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: 'nope-nope-nope', newPassword: 'a-brand-new-password' },
    });
    expect(wrong.statusCode).toBe(400);
    const changed = await call(t, user, {
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: oneTimePassword, newPassword: 'a-brand-new-password' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await call(t, user, { method: 'GET', url: '/api/v1/districts' })).statusCode).toBe(200);
    expect((await login(t, 'forgetful', 'a-brand-new-password')).statusCode).toBe(200);
  });

  it('audits logins and failed logins without personal data', async () => {
    const rows = await t.db.query(
      `SELECT action, actor_id, summary, client_ip, request_id FROM audit_events WHERE action IN ('login', 'login_failed')`,
    );
    expect(rows.some((r: { action: string }) => r.action === 'login')).toBe(true);
    const unknown = rows.find((r: { summary: { reason?: string } }) => r.summary.reason === 'unknown_user');
    expect(unknown).toMatchObject({ actor_id: null, client_ip: expect.any(String), request_id: expect.any(String) });
    expect(JSON.stringify(rows)).not.toContain('nobody_here');
  });
});

describe('login rate limit (Redis-backed, shared by every API process)', () => {
  let t: TestApp;
  let second: TestApp['app'] | undefined;
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  it('answers 429 once a client passes the limit, counted across two API processes', async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '4' });
    const other = await createApp(t.config);
    second = other;
    const attempt = (app: TestApp['app']) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'x_user', password: 'whatever-whatever' },
      });
    const statuses = [];
    for (const app of [t.app, other, t.app, other, t.app]) statuses.push((await attempt(app)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const limited = await attempt(other);
    expect(limited.json()).toMatchObject({ code: 'rate_limited', status: 429 });
  });
});
