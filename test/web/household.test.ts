import type { Page } from 'playwright-core';
import { openCase, setCase } from '../support/cases';
import { call } from '../support/fixtures';
import {
  axeViolations,
  ConsoleUnderTest,
  demoUser,
  field,
  loginAs,
  newPage,
  screenshot,
  startConsole,
} from '../support/browser';

/**
 * 世帯・連絡先 on the case page (issue 13 items 1 and 3, issue 17), in
 * Chromium: from a callback task the counselor reaches the contacts, adds the
 * mother's mobile number with its note (a bad number is refused next to the
 * field), removes an old work number, and records a move into another
 * district, which the page says a supervisor must act on. Staff opening the
 * same case see its header and no contact at all.
 */
describe('household and contacts on the case page (browser)', () => {
  let c: ConsoleUnderTest;
  let caseId = '';
  let caseNumber = '';

  beforeAll(async () => {
    c = await startConsole();
    const counselor1 = await demoUser(c.t, 'counselor1', ['counselor']);
    const opened = await openCase(c.t, counselor1, { household: { address: '中央一丁目2-3' } });
    caseId = opened.case.id;
    caseNumber = opened.case.number;
    // Accepted and assigned to counselor1 in 中央地区 (the supervisor's part, shown in the day test).
    const [chuo] = await c.t.db.query(`SELECT id FROM districts WHERE code = 'chuo'`);
    await setCase(c.t, caseId, { status: 'active', district_id: chuo.id, primary_counselor_id: counselor1.id });
    const task = await call(c.t, counselor1, {
      method: 'POST',
      url: `/api/v1/cases/${caseId}/tasks`,
      payload: {
        kind: 'callback',
        title: '母へ折り返し電話（面談日程）',
        dueAt: new Date(Date.now() + 86_400_000).toISOString(),
        assigneeId: counselor1.id,
      },
    });
    expect(task.statusCode).toBe(201);
    // Staff read the header of a case with a referral (access.md): the school is asked about attendance.
    const [school] = await c.t.db.query(`SELECT id FROM organizations WHERE council_member ORDER BY name LIMIT 1`);
    const referral = await call(c.t, counselor1, {
      method: 'POST',
      url: '/api/v1/referrals',
      payload: {
        caseId,
        direction: 'outgoing',
        kind: 'information_request',
        organizationId: school.id,
        reason: '登校状況の確認',
        urgency: 'routine',
        legalBasis: 'council_member',
        sharedInformation: '氏名と学年',
      },
    });
    expect(referral.statusCode).toBe(201);
  }, 120_000);
  afterAll(async () => c?.close());

  const axeClean = async (page: Page, name: string) => {
    expect({ screen: name, violations: await axeViolations(page) }).toEqual({ screen: name, violations: [] });
    await screenshot(page, name);
  };
  const choose = async (page: Page, label: string, option: string) => {
    await page.getByRole('combobox', { name: label }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };
  const contacts = (page: Page) => page.getByRole('table', { name: '連絡先' });

  it('counselor1 reaches the contacts from a callback task, adds, removes, and records a move', async () => {
    const { page, context, problems } = await newPage(c);
    await loginAs(page, 'counselor1');
    // マイタスク: the callback task links straight to the case's contacts.
    await page
      .getByRole('row', { name: /母へ折り返し電話/ })
      .getByRole('link', { name: '連絡先を見る' })
      .click();
    await page.waitForURL(new RegExp(`/cases/${caseId}\\?tab=household$`));
    await page.getByRole('tab', { name: '世帯・連絡先', selected: true }).waitFor();
    await page.getByText('該当するものはありません。').waitFor();

    // A number that is no phone number is refused next to its field, in Japanese, and nothing is added.
    await page.getByRole('button', { name: '連絡先を追加' }).click();
    await choose(page, '対象者', '母（田中 良子）');
    await field(page, '電話番号').fill('夜に電話');
    await field(page, '連絡時の注意').fill('夜間不可。父に知られないように');
    await page.getByRole('button', { name: '追加する' }).click();
    await page
      .getByRole('dialog')
      .getByText('電話番号（数字とハイフン、内線）またはメールアドレスの形式で入力してください')
      .waitFor();
    expect(await field(page, '電話番号').getAttribute('aria-invalid')).toBe('true');
    await axeClean(page, 'household-add-contact-error');

    await field(page, '電話番号').fill('090-1234-5678');
    await page.getByRole('button', { name: '追加する' }).click();
    const mobile = contacts(page).getByRole('row', { name: /090-1234-5678/ });
    await mobile.waitFor();
    expect(await mobile.textContent()).toMatch(
      /母（田中 良子）.*電話（携帯）.*夜間不可。父に知られないように.*田中 美咲/,
    );
    await expect(mobile.getByTestId('contact-note').isVisible()).resolves.toBe(true);

    // An old work number, added and then removed through the confirmation.
    await page.getByRole('button', { name: '連絡先を追加' }).click();
    await choose(page, '対象者', '母（田中 良子）');
    await choose(page, '区分', '勤務先');
    await field(page, '電話番号').fill('086-111-2222');
    await page.getByRole('button', { name: '追加する' }).click();
    await contacts(page)
      .getByRole('row', { name: /086-111-2222/ })
      .waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await axeClean(page, 'household-contacts');
    await page.getByRole('button', { name: '086-111-2222を削除' }).click();
    await page.getByRole('dialog').getByText('「086-111-2222」を連絡先から外します').waitFor();
    await axeClean(page, 'household-remove-contact');
    await page.getByRole('button', { name: '削除する' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await contacts(page)
      .getByRole('row', { name: /086-111-2222/ })
      .waitFor({ state: 'detached' });
    await mobile.waitFor();

    // A move into 北地区: recorded, the history shows both addresses, and the page says the district is a supervisor's call.
    await page.getByRole('button', { name: '転居を記録' }).click();
    await field(page, '転居先の住所').fill('北町3-4');
    await field(page, '転居日').fill('2026-11-01');
    await page.getByRole('dialog').getByRole('button', { name: '記録する' }).click();
    await page.getByText('新しい住所は北地区の区域です（現在の担当地区：中央地区）').waitFor();
    await page.getByText('担当地区の変更はスーパーバイザーが「担当割当」で行います').waitFor();
    const history = page.getByRole('table', { name: '住所の履歴' });
    await history.getByRole('row', { name: /北町3-4.*現住所.*転居.*2026年11月1日/ }).waitFor();
    await history.getByRole('row', { name: /中央一丁目2-3.*受付時/ }).waitFor();
    await page.getByText('世帯（現住所：北町3-4）').waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await axeClean(page, 'household-moved');

    // The record was read and written as the audit log says, never with the number in it.
    const audit = await c.t.db.query(
      `SELECT entity_type, action, summary::text AS summary FROM audit_events
        WHERE entity_type IN ('contact_point', 'contact_details', 'household') ORDER BY occurred_at`,
    );
    expect(audit.map((a: { entity_type: string; action: string }) => `${a.entity_type}:${a.action}`)).toEqual(
      expect.arrayContaining([
        'contact_details:read',
        'contact_point:create',
        'contact_point:update',
        'household:update',
      ]),
    );
    for (const a of audit as { summary: string }[]) expect(a.summary).not.toMatch(/090|086|夜間|北町/);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('staff1 opening the case sees its header and no contact at all', async () => {
    const { page, context, problems } = await newPage(c);
    await loginAs(page, 'staff1');
    await page.goto(`/cases/${caseId}?tab=household`);
    await page.getByRole('heading', { name: new RegExp(caseNumber) }).waitFor();
    expect(await page.getByRole('tab', { name: '世帯・連絡先' }).count()).toBe(0);
    expect(await page.getByText('090-1234-5678').count()).toBe(0);
    expect(await page.getByText(/夜間不可|田中 良子|北町3-4/).count()).toBe(0);
    await axeClean(page, 'household-staff-header');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
