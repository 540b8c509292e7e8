import pino from 'pino';
import { REDACT_PATHS } from '../../src/core/logging/logging.module';
import { openCase } from '../support/cases';
import { call, createWorld, login, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Response and log hygiene (issue 11, item 15). */
describe('response hygiene', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    // One proxy hop trusted, so X-Forwarded-Proto tells that TLS ended before us.
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '30', TRUST_PROXY: '1' });
    w = await createWorld(t);
  });
  afterAll(async () => t?.close());

  it('marks every API response Cache-Control: no-store, errors included', async () => {
    const { case: c } = await openCase(t, w.counselorA);
    const responses = [
      await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${c.id}` }),
      await call(t, w.counselorA, { method: 'GET', url: '/api/v1/auth/me' }),
      await login(t, 'counselor_a'),
      await call(t, w.counselorB, { method: 'GET', url: `/api/v1/cases/${c.id}` }),
      await call(t, w.admin, { method: 'GET', url: '/api/v1/audit-events' }),
    ];
    for (const res of responses) expect(res.headers['cache-control']).toBe('no-store');
  });

  it('says when to come back on every 429: the address limit and the account lockout', async () => {
    for (let i = 0; i < 5; i++) await login(t, 'lead_b', 'wrong-password-here');
    const locked = await login(t, 'lead_b');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // An unknown user is never locked: its 429 is the address's rate limit.
    let limited = await login(t, 'nobody', 'wrong-password-here');
    for (let i = 0; i < 40 && limited.statusCode !== 429; i++)
      limited = await login(t, 'nobody', 'wrong-password-here');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('sets the queue-dashboard cookie Secure when served over TLS, and not over plain HTTP', async () => {
    const open = (headers: Record<string, string>) =>
      t.app.inject({ method: 'GET', url: `/admin/queues?token=${w.admin.token}`, headers });
    const tls = await open({ 'x-forwarded-proto': 'https' });
    expect(String(tls.headers['set-cookie'])).toMatch(/; Secure/);
    const plain = await open({});
    expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/);
  });
});

describe('log redaction', () => {
  it('keeps err.name and other technical fields, and still blanks personal fields where they live', () => {
    const lines: string[] = [];
    const logger = pino(
      { redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
      { write: (l: string) => lines.push(l) },
    );
    logger.error({ err: { name: 'QueryFailedError', code: '23505' }, reqId: 'r1' }, 'request failed');
    logger.info({ district: { name: 'district_a' }, organization: { name: '中央警察署' } });
    logger.info({ subject: { familyName: '田中', givenNameKana: 'ハナコ', birthDate: '2018-05-10' } });
    logger.info({ household: { address: '北町2-3', members: [{ familyName: '田中' }] } });
    const [error, names, subject, household] = lines.map((l) => JSON.parse(l));
    expect(error.err).toEqual({ name: 'QueryFailedError', code: '23505' });
    expect(names).toMatchObject({ district: { name: 'district_a' }, organization: { name: '中央警察署' } });
    expect(JSON.stringify(subject)).not.toMatch(/田中|ハナコ|2018/);
    expect(JSON.stringify(household.household.address)).not.toMatch(/北町/);
  });
});
