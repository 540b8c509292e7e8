import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 12, part 5: helmet's `upgrade-insecure-requests` blanked Swagger UI on
 * a plain-http intranet host. The CSP now depends on TLS, and only /docs and
 * the queue dashboard get the relaxed policy their scripts need.
 */
describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    // One proxy hop trusted, so X-Forwarded-Proto says whether the client used https (TLS=auto).
    t = await startTestApp({ TRUST_PROXY: '1' });
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('over plain http: no upgrade-insecure-requests and no HSTS, on the API and on /docs', async () => {
    for (const url of ['/api/v1/code-lists', '/docs', '/docs-json', '/health/live']) {
      const res = await get(url);
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await get('/docs')).statusCode).toBe(200);
  });

  it('behind TLS (a trusted proxy says https): upgrade-insecure-requests and HSTS', async () => {
    const res = await get('/docs', { 'x-forwarded-proto': 'https' });
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('keeps the relaxed policy to /docs: the API allows nothing', async () => {
    const docs = (await get('/docs')).headers['content-security-policy'] as string;
    expect(docs).toContain("script-src 'self' 'unsafe-inline'");
    expect(docs).toContain("frame-ancestors 'none'");
    for (const url of ['/api/v1/code-lists', '/api/v1/cases', '/health/ready', '/metrics', '/docsx']) {
      const csp = (await get(url)).headers['content-security-policy'] as string;
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
    }
  });
});

describe('security headers with TLS fixed by configuration', () => {
  it('TLS=true upgrades every answer; TLS=false never, whatever the proxy says', async () => {
    for (const [tls, expected] of [
      ['true', true],
      ['false', false],
    ] as const) {
      const t = await startTestApp({ TLS: tls, TRUST_PROXY: '1' });
      try {
        const res = await t.app.inject({ method: 'GET', url: '/docs', headers: { 'x-forwarded-proto': 'https' } });
        expect(res.headers['content-security-policy']?.includes('upgrade-insecure-requests')).toBe(expected);
        expect(res.headers['strict-transport-security'] !== undefined).toBe(expected);
        const plain = await t.app.inject({ method: 'GET', url: '/api/v1/code-lists' });
        expect(plain.headers['content-security-policy']?.includes('upgrade-insecure-requests')).toBe(expected);
      } finally {
        await t.close();
      }
    }
  });
});
