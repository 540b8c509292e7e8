import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { createApp } from '../../src/app';
import { DataSource } from 'typeorm';
import { call, createUser, insertUser, login, PASSWORD, TestUser } from '../support/fixtures';
import { freePort, startRedis, waitFor } from '../support/processes';
import { createTestDatabase, startTestApp, TestApp, TestDatabase, testConfig } from '../support/test-app';
import { TEST_DATABASE_URL } from '../support/env';

/** What an outside probe got through in authentication (issue 11, items 4-7). */
describe('authentication under pressure', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    user = await createUser(t, 'pressed', ['counselor']);
  });
  afterAll(async () => t?.close());

  it('answers 503, not 401, to an authenticated request while PostgreSQL refuses connections (item 4)', async () => {
    const admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${t.database.name}" ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [t.database.name]);
      const res = await call(t, user, { method: 'GET', url: '/api/v1/auth/me' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'service_unavailable' });
    } finally {
      await admin.query(`ALTER DATABASE "${t.database.name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    expect(
      await waitFor(async () => (await call(t, user, { method: 'GET', url: '/api/v1/auth/me' })).statusCode === 200),
    ).toBe(true);
  });

  it('holds no database connection while hashing: 20 bad logins do not sit in open transactions (item 5)', async () => {
    const admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      let running = true;
      const logins = Promise.all(
        Array.from({ length: 20 }, (_, i) => login(t, `nobody_${i}`, 'wrong-password-here')),
      ).finally(() => (running = false));
      // Sample how many of the service's connections sit inside a transaction
      // doing nothing (its JavaScript busy elsewhere, e.g. hashing).
      let most = 0;
      while (running) {
        const [row] = (
          await admin.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'idle in transaction'`,
            [t.database.name],
          )
        ).rows;
        most = Math.max(most, row.n);
        await new Promise((r) => setTimeout(r, 5));
      }
      const answers = await logins;
      expect(answers.every((res) => res.statusCode === 401)).toBe(true);
      // Before: all 20 held a connection, in a transaction, through argon2.
      expect(most).toBeLessThan(8);
    } finally {
      await admin.end();
    }
  });

  it('counts wrong current passwords at POST /auth/password toward the login lockout (item 6)', async () => {
    const victim = await createUser(t, 'stolen_token', ['staff']);
    const change = (currentPassword: string) =>
      call(t, victim, {
        method: 'POST',
        url: '/api/v1/auth/password',
        payload: { currentPassword, newPassword: 'a brand new passphrase' },
      });
    for (let i = 0; i < 4; i++) expect((await change(`guess-number-${i}`)).statusCode).toBe(400);
    // The fifth failure locks the account; from then on every guess is a 429.
    expect((await change('guess-number-4')).statusCode).toBe(400);
    const locked = await change(PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'rate_limited' });
    expect((await login(t, 'stolen_token')).statusCode).toBe(429);
    const [row] = await t.db.query(`SELECT locked_until FROM users WHERE id = $1`, [victim.id]);
    expect(row.locked_until).not.toBeNull();
    // The password did not change.
    await t.db.query(`UPDATE users SET locked_until = NULL WHERE id = $1`, [victim.id]);
    expect((await login(t, 'stolen_token')).statusCode).toBe(200);
  });
});

describe('login while Redis is away (item 7)', () => {
  let database: TestDatabase;
  let redis: ChildProcess | undefined;
  let app: Awaited<ReturnType<typeof createApp>>;
  beforeAll(async () => {
    const port = await freePort();
    redis = await startRedis(port);
    database = await createTestDatabase();
    app = await createApp(
      testConfig(database, 'tnoredis', { REDIS_URL: `redis://127.0.0.1:${port}`, LOGIN_RATE_LIMIT_PER_MINUTE: '3' }),
    );
    await insertUser({ app, db: app.get(DataSource) }, 'walker', ['staff']);
  });
  afterAll(async () => {
    await app?.close();
    redis?.kill('SIGKILL');
    await database?.drop();
  });

  it('keeps logging users in and keeps limiting, per process, when Redis stops', async () => {
    redis!.kill('SIGKILL');
    const ready = () => app.inject({ method: 'GET', url: '/health/ready' });
    expect(await waitFor(async () => (await ready()).statusCode === 503)).toBe(true);
    const attempt = () =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'walker', password: PASSWORD } });
    const answers: number[] = [];
    for (let i = 0; i < 4; i++) answers.push((await attempt()).statusCode);
    expect(answers.slice(0, 3)).toEqual([200, 200, 200]);
    expect(answers[3]).toBe(429);
  });
});
