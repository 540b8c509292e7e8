import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../src/audit/audit.service';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data';
import { UsersService } from '../../src/directory/users.service';
import { call, login, type TestUser } from './fixtures';
import { startTestApp, TestApp } from './test-app';

/**
 * The console in a real browser (issue 17): Debian's Chromium driven by
 * playwright-core (never Playwright's own browser download), against the real
 * server listening on localhost, with the real PostgreSQL and Redis, and the
 * demo districts and accounts loaded.
 */
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find(existsSync);
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'screenshots');
export { DEMO_PASSWORD };

/** A demo account logged in through the API, for a test's set-up requests beside the browser. */
export async function demoUser(t: TestApp, username: string, roles: TestUser['roles']): Promise<TestUser> {
  const res = await login(t, username, DEMO_PASSWORD);
  if (res.statusCode !== 200) throw new Error(`demo login ${username}: ${res.statusCode}`);
  const { accessToken, refreshToken } = res.json<{ accessToken: string; refreshToken: string }>();
  const user: TestUser = { id: '', username, roles, token: accessToken, refreshToken };
  user.id = (await call(t, user, { method: 'GET', url: '/api/v1/auth/me' })).json().id;
  return user;
}

export interface ConsoleUnderTest {
  t: TestApp;
  /** http://localhost:<port>: a Secure cookie is accepted over plain HTTP only on localhost. */
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startConsole(env: Record<string, string> = {}): Promise<ConsoleUnderTest> {
  if (!CHROMIUM) throw new Error('Chromium not found: apt-get install chromium fonts-noto-cjk (.ci/run does)');
  const t = await startTestApp({ WORKER_MODE: 'embedded', ...env });
  await loadDemoData(t.app.get(DataSource), t.app.get(UsersService), t.app.get(AuditLog));
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives every launch a fresh, empty profile (its own --user-data-dir in a temp folder).
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // Date and time inputs in the Japanese order (the page locale alone does not change them).
      '--lang=ja-JP',
    ],
  });
  return {
    t,
    base: `http://localhost:${port}`,
    browser,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/**
 * A new browser (context) for one person, in Japanese and JST. Any CSP
 * violation or uncaught page error fails the test that reads `problems`.
 */
export async function newPage(
  c: ConsoleUnderTest,
): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
  const context = await c.browser.newContext({
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: { width: 1400, height: 900 },
    baseURL: c.base,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  });
  return { page, context, problems };
}

export async function loginAs(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/');
  await page.getByLabel('ユーザー名').fill(username);
  await page.locator('input[autocomplete="current-password"]').fill(password);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await page.getByRole('navigation', { name: 'メインメニュー' }).waitFor();
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string; failureSummary?: string }[];
}

/**
 * axe-core on the page as it stands: serious and critical violations, as
 * "rule: help (targets)". Injected through the DevTools protocol, which the
 * page's CSP does not govern, so the page keeps its real policy.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  // Runs in the page: the test's own types have no DOM, so the page's globals are named through globalThis.
  const violations = await page.evaluate(async () => {
    const page = globalThis as unknown as {
      axe: { run(context: unknown, options: object): Promise<{ violations: unknown[] }> };
      document: unknown;
    };
    return (await page.axe.run(page.document, { resultTypes: ['violations'] })).violations;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)}`).join(', ')})`,
    );
}

/** Writes test-results/screenshots/<name>.png (git-ignored) and prints its path for CI's output. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  return path;
}

/** A form field by its label, whether or not Mantine marks it required (" *"). */
export function field(page: Page, label: string) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByLabel(new RegExp(`^${escaped}(\\s*\\*)?$`));
}
