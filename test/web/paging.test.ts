import { intakeBody, openCase, setCase } from '../support/cases';
import { call } from '../support/fixtures';
import { ConsoleUnderTest, demoUser, loginAs, newPage, startConsole } from '../support/browser';

/**
 * Long lists page with the API's cursors (issue 17), in Chromium: the
 * progress record of a case with 21 consultations (20 a page, newest first)
 * and my tasks with 51 open tasks (50 a page) go forward to the last page and
 * back to the first (web/src/components/ui.tsx, useCursorPages).
 */
describe('paging through long lists (browser)', () => {
  let c: ConsoleUnderTest;
  let caseId = '';

  beforeAll(async () => {
    c = await startConsole();
    const counselor1 = await demoUser(c.t, 'counselor1', ['counselor']);
    // The intake's own consultation (2026-06-01) is the oldest, then 記録02 … 記録21, a day apart.
    const opened = await openCase(c.t, counselor1, { consultation: { summary: '記録01' } });
    caseId = opened.case.id;
    const [chuo] = await c.t.db.query(`SELECT id FROM districts WHERE code = 'chuo'`);
    await setCase(c.t, caseId, { status: 'active', district_id: chuo.id, primary_counselor_id: counselor1.id });
    for (let n = 2; n <= 21; n += 1) {
      const added = await call(c.t, counselor1, {
        method: 'POST',
        url: `/api/v1/cases/${caseId}/consultations`,
        payload: intakeBody({
          consultation: {
            occurredAt: new Date(Date.UTC(2026, 6, n, 1)).toISOString(),
            summary: `記録${String(n).padStart(2, '0')}`,
          },
        }).consultation,
      });
      expect(added.statusCode).toBe(201);
    }
    for (let n = 1; n <= 51; n += 1) {
      const task = await call(c.t, counselor1, {
        method: 'POST',
        url: `/api/v1/cases/${caseId}/tasks`,
        payload: {
          kind: 'home_visit',
          title: `家庭訪問 ${String(n).padStart(2, '0')}`,
          dueAt: new Date(Date.now() + n * 86_400_000).toISOString(),
          assigneeId: counselor1.id,
        },
      });
      expect(task.statusCode).toBe(201);
    }
  }, 120_000);
  afterAll(async () => c?.close());

  it('the progress record: older records, then back to the newest', async () => {
    const { page, context, problems } = await newPage(c);
    try {
      await loginAs(page, 'counselor1');
      await page.goto(`/cases/${caseId}`);
      await page.getByText('記録21', { exact: true }).waitFor();
      expect(await page.getByText('記録01', { exact: true }).count()).toBe(0);
      await expect(page.getByRole('button', { name: '新しい記録へ' }).isDisabled()).resolves.toBe(true);

      await page.getByRole('button', { name: '古い記録へ' }).click();
      await page.getByText('記録01', { exact: true }).waitFor();
      expect(await page.getByText('記録21', { exact: true }).count()).toBe(0);
      await expect(page.getByRole('button', { name: '古い記録へ' }).isDisabled()).resolves.toBe(true);

      await page.getByRole('button', { name: '新しい記録へ' }).click();
      await page.getByText('記録21', { exact: true }).waitFor();
      expect(await page.getByText('記録01', { exact: true }).count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('my tasks: the next page, then back to the first', async () => {
    const { page, context, problems } = await newPage(c);
    try {
      await loginAs(page, 'counselor1');
      await page.getByText('家庭訪問 01', { exact: true }).waitFor();
      expect(await page.getByText('家庭訪問 51', { exact: true }).count()).toBe(0);
      await expect(page.getByRole('button', { name: '前へ' }).isDisabled()).resolves.toBe(true);

      await page.getByRole('button', { name: '次へ' }).click();
      await page.getByText('家庭訪問 51', { exact: true }).waitFor();
      expect(await page.getByText('家庭訪問 01', { exact: true }).count()).toBe(0);

      await page.getByRole('button', { name: '前へ' }).click();
      await page.getByText('家庭訪問 01', { exact: true }).waitFor();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
