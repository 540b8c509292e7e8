import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { webConsoleDir } from '../../src/core/http/web-console';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The console served by the API (issue 17): assets cached for good, the page
 * for any other GET that asks for HTML, never cached, under a strict CSP with
 * a fresh nonce; the API, docs, health, metrics and queue board never shadowed.
 * (Global setup builds web/dist when it is missing or stale.)
 */
describe('the web console served by the API', () => {
  let t: TestApp;
  const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
  beforeAll(async () => {
    t = await startTestApp({ CONSOLE_IDLE_MINUTES: '17' });
  });
  afterAll(async () => t?.close());

  it('answers / and a deep link with index.html, no-store, and a CSP whose nonce is on every script and stylesheet', async () => {
    for (const url of ['/', '/cases/5b0e7a8e-3f7c-4c55-9a57-6c1d2f0e9a11', '/admin-users-look-alike']) {
      const res = await t.app.inject({ method: 'GET', url, headers: html });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      const csp = String(res.headers['content-security-policy']);
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(csp).toContain(`script-src 'self' 'nonce-${nonce}'`);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.body).not.toContain('__CSP_NONCE__');
      expect(res.body).toContain('<meta name="tsunagu-idle-minutes" content="17" />');
      const tags = res.body.match(/<(script|link rel="stylesheet")[^>]*>/g) ?? [];
      expect(tags.length).toBeGreaterThan(0);
      for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
      // No inline script: every script is a file of this site.
      expect(res.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    }
  });

  it('gives each answer a new nonce', async () => {
    const nonce = async () =>
      /'nonce-([^']+)'/.exec(
        String((await t.app.inject({ method: 'GET', url: '/', headers: html })).headers['content-security-policy']),
      )?.[1];
    expect(await nonce()).not.toBe(await nonce());
  });

  it('serves the hashed assets with an immutable cache', async () => {
    const file = readdirSync(join(webConsoleDir(), 'assets')).find((f) => f.endsWith('.js'))!;
    const res = await t.app.inject({ method: 'GET', url: `/assets/${file}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(res.headers['cache-control']).toContain('immutable');
    const missing = await t.app.inject({ method: 'GET', url: '/assets/nothing-here.js', headers: html });
    expect(missing.statusCode).toBe(404);
  });

  it('never shadows the API, docs, health, metrics or the queue board, even for a browser asking for HTML', async () => {
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing', headers: html });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/problem\+json/);
    const unauth = await t.app.inject({ method: 'GET', url: '/api/v1/cases', headers: html });
    expect(unauth.statusCode).toBe(401);
    const docs = await t.app.inject({ method: 'GET', url: '/docs-json', headers: html });
    expect(docs.json().openapi).toMatch(/^3\./);
    expect((await t.app.inject({ method: 'GET', url: '/health/live', headers: html })).statusCode).toBe(200);
    for (const url of ['/metrics', '/admin/queues', '/docs/nothing', '/health/nothing']) {
      const res = await t.app.inject({ method: 'GET', url, headers: html });
      expect(res.body).not.toContain('<div id="root">');
    }
  });

  it('answers a GET that does not ask for HTML, and other methods, with the API’s 404', async () => {
    const json = await t.app.inject({ method: 'GET', url: '/cases', headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(404);
    expect(json.headers['content-type']).toMatch(/problem\+json/);
    const post = await t.app.inject({ method: 'POST', url: '/cases', headers: html, payload: {} });
    expect(post.statusCode).toBe(404);
  });
});
