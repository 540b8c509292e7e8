import {
  axeViolations,
  ConsoleUnderTest,
  DEMO_PASSWORD,
  loginAs,
  newPage,
  screenshot,
  startConsole,
} from '../support/browser';

/** What every user does in the console: log in (by keyboard alone), tasks, notifications, a reload, logout. */
describe('the console for everyone (browser)', () => {
  let c: ConsoleUnderTest;
  beforeAll(async () => {
    c = await startConsole();
  }, 120_000);
  afterAll(async () => c?.close());

  it('logs in with the keyboard alone, and the page passes axe', async () => {
    const { page, context, problems } = await newPage(c);
    await page.goto('/');
    await page.getByLabel('ユーザー名').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'login');
    // The username field has the focus on arrival; Tab moves to the password; Enter submits.
    await page.keyboard.type('counselor1');
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'マイタスク' }).waitFor();
    expect(await page.getByText('田中 美咲').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'my-tasks');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('says a wrong password in Japanese', async () => {
    const { page, context } = await newPage(c);
    await page.goto('/');
    await page.getByLabel('ユーザー名').fill('counselor1');
    await page.locator('input[autocomplete="current-password"]').fill('wrong-password-here');
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByRole('alert').getByText('ユーザー名またはパスワードが違います').waitFor();
    await context.close();
  }, 60_000);

  it('keeps the session over a reload of a deep link (the refresh cookie), with no token in web storage', async () => {
    const { page, context, problems } = await newPage(c);
    await loginAs(page, 'supervisor1');
    await page.goto('/notifications');
    await page.getByRole('heading', { name: '通知' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: '通知' }).waitFor();
    expect(await page.getByLabel('ユーザー名').count()).toBe(0);
    const stored = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    expect(stored).toBe('{}{}');
    const cookies = await context.cookies();
    const refresh = cookies.find((k) => k.name === 'tsunagu_refresh');
    expect(refresh).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/v1/auth' });
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe(
      '',
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'notifications');
    // Logout ends the session: a reload shows the login again.
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByLabel('ユーザー名').waitFor();
    await page.reload();
    await page.getByLabel('ユーザー名').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('logs out after the idle timeout, with a warning a minute before', async () => {
    const { page, context } = await newPage(c);
    await page.clock.install();
    await loginAs(page, 'staff1');
    await page.clock.runFor(29 * 60_000 + 5_000);
    await page.getByText('まもなく自動ログアウトします').waitFor();
    await page.clock.runFor(60_000);
    await page.getByText('一定時間操作がなかったため、ログアウトしました。').waitFor();
    await context.close();
  }, 60_000);
});
