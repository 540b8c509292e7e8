import { REFRESH_COOKIE } from '../../src/auth/browser-session';
import { call, createUser, PASSWORD, TestUser } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The console's session (issue 17): the refresh token in an HttpOnly,
 * Secure, SameSite=Strict cookie for /api/v1/auth only, a refresh by cookie
 * only from this site's pages; API clients keep the bearer flow.
 */
describe('the browser session cookie', () => {
  let t: TestApp;
  let user: TestUser;
  const ORIGIN = 'http://localhost:80';
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://console.example.jp' });
    user = await createUser(t, 'cookie_user', ['counselor']);
  });
  afterAll(async () => t?.close());

  const loginByCookie = () =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: PASSWORD, session: 'cookie' },
    });
  const cookieOf = (res: { headers: Record<string, unknown> }) => {
    const header = String(res.headers['set-cookie'] ?? '');
    return /tsunagu_refresh=([^;]*)/.exec(header)?.[1] ?? null;
  };
  const refreshByCookie = (cookie: string, headers: Record<string, string> = { origin: ORIGIN }) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      headers: { cookie: `${REFRESH_COOKIE}=${cookie}`, host: 'localhost:80', ...headers },
      payload: {},
    });

  it('sets the refresh token as an HttpOnly, Secure, SameSite=Strict cookie for the auth routes only, and leaves it out of the body', async () => {
    const res = await loginByCookie();
    expect(res.statusCode).toBe(200);
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/^tsunagu_refresh=[A-Za-z0-9._-]+;/);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('Secure');
    expect(header).toContain('SameSite=Strict');
    expect(header).toContain('Path=/api/v1/auth;');
    expect(res.json().refreshToken).toBeUndefined();
    expect(res.json()).toMatchObject({ accessToken: expect.any(String), user: { username: 'cookie_user' } });
  });

  it('refreshes from the cookie for a request of this site, rotating the cookie', async () => {
    const first = cookieOf(await loginByCookie())!;
    const res = await refreshByCookie(first);
    expect(res.statusCode).toBe(200);
    expect(res.json().accessToken).toEqual(expect.any(String));
    expect(res.json().refreshToken).toBeUndefined();
    const second = cookieOf(res);
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    const me = await call(t, { ...user, token: res.json().accessToken }, { method: 'GET', url: '/api/v1/auth/me' });
    expect(me.statusCode).toBe(200);
    // One use: the old cookie is spent (and presenting it again revokes the family).
    expect((await refreshByCookie(first)).statusCode).toBe(401);
    expect((await refreshByCookie(second!)).statusCode).toBe(401);
  });

  it('accepts an origin the operator allowed (CORS_ORIGINS)', async () => {
    const cookie = cookieOf(await loginByCookie())!;
    expect((await refreshByCookie(cookie, { origin: 'https://console.example.jp' })).statusCode).toBe(200);
  });

  it('refuses a refresh by cookie from another origin or without an Origin header (403), and keeps the token usable', async () => {
    const cookie = cookieOf(await loginByCookie())!;
    const foreign = await refreshByCookie(cookie, { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('forbidden');
    const missing = await refreshByCookie(cookie, {});
    expect(missing.statusCode).toBe(403);
    expect((await refreshByCookie(cookie)).statusCode).toBe(200);
  });

  it('answers 400 without a token or a cookie, and 401 clearing the cookie for a malformed or unknown one', async () => {
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      headers: { origin: ORIGIN, host: 'localhost:80' },
      payload: {},
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().code).toBe('validation_failed');
    const malformed = await refreshByCookie('not a token');
    expect(malformed.statusCode).toBe(401);
    expect(String(malformed.headers['set-cookie'])).toMatch(/tsunagu_refresh=; Max-Age=0/);
    const unknown = await refreshByCookie('00000000-0000-4000-8000-000000000000.abc');
    expect(unknown.statusCode).toBe(401);
    expect(String(unknown.headers['set-cookie'])).toMatch(/tsunagu_refresh=; Max-Age=0/);
  });

  it('refuses an unknown session mode at login (400)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: PASSWORD, session: 'localStorage' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
  });

  it('logs out by cookie: the session ends and the cookie is cleared', async () => {
    const login = await loginByCookie();
    const cookie = cookieOf(login)!;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { authorization: `Bearer ${login.json().accessToken}`, cookie: `${REFRESH_COOKIE}=${cookie}` },
      payload: {},
    });
    expect(res.statusCode).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(/tsunagu_refresh=; Max-Age=0/);
    expect((await refreshByCookie(cookie)).statusCode).toBe(401);
  });

  it('keeps the bearer flow for API clients: the refresh token in the body, no cookie', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: PASSWORD },
    });
    expect(login.headers['set-cookie']).toBeUndefined();
    const refreshToken = login.json().refreshToken;
    expect(refreshToken).toEqual(expect.any(String));
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
    expect(res.statusCode).toBe(200);
    expect(res.json().refreshToken).toEqual(expect.any(String));
  });
});
