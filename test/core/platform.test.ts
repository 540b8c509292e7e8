import { Controller, Get, Module, Post, Body } from '@nestjs/common';
import type { ChildProcess } from 'node:child_process';
import { IsString, MaxLength } from 'class-validator';
import { Client } from 'pg';
import { Public } from '../../src/core/http/public';
import { createApp } from '../../src/app';
import { ConfigError, loadConfig } from '../../src/core/config/app-config';
import { toProblem } from '../../src/core/errors/problem.filter';
import { freePort, startRedis, waitFor } from '../support/processes';
import { createTestDatabase, TestDatabase, testConfig } from '../support/test-app';

class EchoDto {
  @IsString()
  @MaxLength(2_000_000)
  text!: string;
}

/** A probe mounted beside the real routes, to reach the error paths. */
@Controller('probe')
class ProbeController {
  @Public()
  @Get('boom')
  boom(): never {
    const error = new Error('SELECT * FROM secret_table WHERE password = hunter2');
    throw error;
  }

  @Public()
  @Post('echo')
  echo(@Body() body: EchoDto) {
    return { length: body.text.length };
  }
}
@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('configuration is validated at boot', () => {
  const valid = { DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://h:6379', JWT_SECRET: 'x'.repeat(32) };

  it('accepts a valid environment and applies the defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      PORT: 3000,
      WORKER_MODE: 'embedded',
      TZ_BUSINESS: 'Asia/Tokyo',
      CORS_ORIGINS: [],
      LOG_LEVEL: 'info',
    });
    expect(loadConfig({ ...valid, CORS_ORIGINS: 'https://a.example, https://b.example' }).CORS_ORIGINS).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('names every missing or bad value on a line of its own', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        PORT: '99999',
        WORKER_MODE: 'sometimes',
        TZ_BUSINESS: 'Mars/Olympus',
        JWT_SECRET: 'short',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toEqual(
      expect.arrayContaining([
        'DATABASE_URL is required',
        'REDIS_URL is required',
        'JWT_SECRET must be at least 32 characters',
        'WORKER_MODE must be one of: embedded, off',
        'TZ_BUSINESS must be an IANA time zone such as Asia/Tokyo',
        expect.stringMatching(/^PORT must not be greater than 65535/),
        expect.stringMatching(/^LOG_LEVEL must be one of/),
      ]),
    );
    expect(error!.problems).toHaveLength(7);
    expect(error!.message.split('\n')).toHaveLength(8);
  });

  it('refuses an admin username without a password', () => {
    expect(() => loadConfig({ ...valid, ADMIN_USERNAME: 'root' })).toThrow(/ADMIN_PASSWORD is required/);
  });
});

describe('error mapping (api.md, "Errors")', () => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof createApp>>;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig(database, `t${process.pid}err`), [ProbeModule]);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const expectProblem = (
    res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
    status: number,
    code: string,
  ) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status,
      code,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    });
  };

  it('malformed JSON is a 400', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/probe/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"text": "a",',
    });
    expectProblem(res, 400, 'malformed_request');
  });

  it('an unknown field is a 400 naming the field', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/probe/echo', payload: { text: 'a', admin: true } });
    expectProblem(res, 400, 'validation_failed');
    expect(res.json()).toMatchObject({ errors: [{ field: 'admin', message: 'unknown field' }] });
  });

  it('a wrong type is a 400', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/probe/echo', payload: { text: 42 } });
    expectProblem(res, 400, 'validation_failed');
    expect(res.json().errors[0].field).toBe('text');
  });

  it('a body over 1 MiB is a 413', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/probe/echo',
      payload: { text: 'x'.repeat(1024 * 1024 + 10) },
    });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('an unknown route is a 404', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/no/such/thing' }), 404, 'not_found');
  });

  it('an unexpected exception reaches the client as a bare 500, with no internals', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/probe/boom' });
    expectProblem(res, 500, 'internal_error');
    expect(res.body).not.toMatch(/secret_table|hunter2|stack|Error:/);
    expect(res.json().detail).toBe('Unexpected error');
  });

  it('sets security headers and keeps CORS closed by default', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/live', headers: { origin: 'https://evil.example' } });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // Plain http here: HSTS and upgrade-insecure-requests only behind TLS (test/core/security-headers.test.ts).
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('maps every error code to a status (the switch is exhaustive)', () => {
    expect(toProblem(new TypeError('x'))).toMatchObject({
      status: 500,
      code: 'internal_error',
      detail: 'Unexpected error',
    });
    expect(
      toProblem(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    ).toMatchObject({ status: 503 });
  });
});

describe('readiness reports a stopped dependency, and recovers when it returns', () => {
  let database: TestDatabase;
  let redis: ChildProcess | undefined;
  let app: Awaited<ReturnType<typeof createApp>>;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    database = await createTestDatabase();
    app = await createApp(testConfig(database, 'tready', { REDIS_URL: `redis://127.0.0.1:${port}` }));
  });
  afterAll(async () => {
    await app?.close();
    redis?.kill('SIGKILL');
    await database?.drop();
  });

  const ready = () => app.inject({ method: 'GET', url: '/health/ready' });

  it('is ready with both up', async () => {
    expect((await ready()).statusCode).toBe(200);
  });

  it('answers 503 naming Redis while Redis is stopped, and 200 again once it is back', async () => {
    redis!.kill('SIGKILL');
    expect(await waitFor(async () => (await ready()).statusCode === 503)).toBe(true);
    const down = (await ready()).json();
    expect(down).toMatchObject({
      code: 'service_unavailable',
      checks: { redis: { status: 'down' }, database: { status: 'up' } },
    });
    redis = await startRedis(port);
    expect(await waitFor(async () => (await ready()).statusCode === 200)).toBe(true);
  });

  it('answers 503 naming the database while PostgreSQL refuses it, and recovers', async () => {
    const admin = new Client({
      connectionString: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [database.name]);
      expect(await waitFor(async () => (await ready()).statusCode === 503)).toBe(true);
      expect((await ready()).json()).toMatchObject({ checks: { database: { status: 'down' } } });
      // A request that needs the database fails cleanly too.
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'someone', password: 'something-long' },
      });
      expect(login.statusCode).toBe(503);
      expect(login.json().code).toBe('service_unavailable');
    } finally {
      await admin.query(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    expect(await waitFor(async () => (await ready()).statusCode === 200)).toBe(true);
  });
});
