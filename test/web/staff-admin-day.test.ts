import type { Page } from 'playwright-core';
import { axeViolations, ConsoleUnderTest, field, loginAs, newPage, screenshot, startConsole } from '../support/browser';

/**
 * Staff and admin days of issue 17 in Chromium: staff register an incoming
 * notification (which opens a case in intake), read the statistics and
 * export a table as CSV with its progress; the admin creates a user, whose
 * one-time password is shown once, and that user logs in and must change it.
 */
describe('a staff member’s and an admin’s day (browser)', () => {
  let c: ConsoleUnderTest;
  beforeAll(async () => {
    c = await startConsole();
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

  it('staff1 registers an incoming notification from the school board, then sends a request about the child', async () => {
    const { page, context, problems } = await newPage(c);
    await loginAs(page, 'staff1');
    // Staff never take an intake nor read case lists: neither is offered.
    expect(await page.getByRole('link', { name: '受付票（新規受付）' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'ケース一覧' }).count()).toBe(0);
    await page.getByRole('link', { name: '送致・連携' }).click();
    await page.getByRole('button', { name: '受理した送致・通告を登録' }).click();
    await choose(page, '送致元の機関', '教育委員会');
    await field(page, '送致・通告の理由').fill('登校時に顔にあざがあり、本人が「父にたたかれた」と話した。');
    await field(page, '共有された情報').fill('学校での様子、欠席日数。');
    await field(page, '氏').fill('佐々木');
    await field(page, '名').fill('蓮');
    await field(page, '氏（ふりがな）').fill('ささき');
    await field(page, '名（ふりがな）').fill('れん');
    await field(page, '生年月日').fill('2016-08-20');
    await field(page, '住所').fill('北町5-1');
    await axeClean(page, 'incoming-referral');
    await page.getByRole('button', { name: '登録する' }).click();
    await page.getByText('登録しました（受付のケースが作成されました）').waitFor();
    await page.getByRole('button', { name: '閉じる' }).first().click();
    await page.getByRole('tab', { name: 'すべて' }).click();
    await page.getByRole('cell', { name: '教育委員会' }).waitFor();
    await axeClean(page, 'referrals-board');

    // From it, staff ask the child guidance center for information about the same child, and send it.
    await page.getByRole('button', { name: '詳細・操作' }).first().click();
    await page.getByRole('button', { name: 'この児童について関係機関へ送致・依頼' }).click();
    await choose(page, '送致先の機関', '県中央児童相談所');
    await field(page, '依頼の内容').fill('過去の相談歴の有無について情報提供をお願いします。');
    await field(page, '提供する情報').fill('氏名、生年月日、学校からの通告の概要。');
    await page.getByRole('button', { name: '下書きとして保存' }).click();
    await page.getByRole('dialog').getByText('下書き', { exact: false }).first().waitFor();
    await axeClean(page, 'referral-detail');
    await page.getByRole('dialog').getByRole('button', { name: '送付', exact: true }).click();
    await page
      .getByRole('dialog')
      .getByText(/^送付済み/)
      .waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('staff1 reads the consultation statistics and exports them as CSV, watching the progress', async () => {
    const { page, context, problems } = await newPage(c);
    await loginAs(page, 'staff1');
    await page.getByRole('link', { name: '統計・CSV出力' }).click();
    await page.getByRole('columnheader', { name: '区分' }).waitFor();
    await page.getByRole('cell', { name: '合計' }).waitFor();
    await axeClean(page, 'statistics');
    await page.getByRole('button', { name: 'CSV出力' }).click();
    await page.getByText(/^作成しました（\d+行）$/).waitFor({ timeout: 30_000 });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'ダウンロード' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('consultations.csv');
    const text = await (await file.createReadStream()).toArray();
    const csv = Buffer.concat(text as Buffer[]);
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    await screenshot(page, 'statistics-export');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('the admin creates a user who logs in with the one-time password and must change it', async () => {
    const { page, context, problems } = await newPage(c);
    await loginAs(page, 'admin');
    // An admin sees no case content: no case screens are offered.
    expect(await page.getByRole('link', { name: 'ケース一覧' }).count()).toBe(0);
    await page.getByRole('link', { name: 'ユーザー' }).click();
    await page.getByRole('cell', { name: 'counselor1' }).waitFor();
    await axeClean(page, 'admin-users');
    await page.getByRole('button', { name: 'ユーザーを作成' }).click();
    await field(page, 'ユーザー名').fill('counselor9');
    await field(page, '氏名').fill('森 さくら');
    await page.getByRole('button', { name: '作成する' }).click();
    const shown = page.getByTestId('one-time-password');
    await shown.waitFor();
    const oneTime = (await shown.textContent())!.trim();
    expect(oneTime.length).toBeGreaterThanOrEqual(12);
    await page.getByRole('button', { name: '閉じる' }).first().click();
    // Shown once: closing the dialog leaves it nowhere on the page.
    expect(await page.getByText(oneTime).count()).toBe(0);
    await page.getByRole('link', { name: '地区' }).click();
    await page.getByRole('cell', { name: '中央地区' }).waitFor();
    await axeClean(page, 'admin-districts');
    // The new counselor joins the 中央 district.
    await page
      .getByRole('row', { name: /中央地区/ })
      .getByRole('button', { name: '区域・職員' })
      .click();
    await choose(page, '職員', '森 さくら（counselor9）');
    await page.getByRole('button', { name: '加える' }).click();
    await page.getByRole('dialog').getByRole('cell', { name: '森 さくら' }).waitFor();
    await axeClean(page, 'admin-district-staff');
    await page.getByRole('button', { name: '閉じる' }).click();
    await page.getByRole('link', { name: '関係機関' }).click();
    await page.getByRole('cell', { name: '教育委員会' }).waitFor();
    await axeClean(page, 'admin-organizations');
    await context.close();

    const fresh = await newPage(c);
    await fresh.page.goto('/');
    await field(fresh.page, 'ユーザー名').fill('counselor9');
    await fresh.page.locator('input[autocomplete="current-password"]').fill(oneTime);
    await fresh.page.getByRole('button', { name: 'ログイン' }).click();
    await fresh.page.getByText('初回ログインです。').waitFor();
    await axeClean(fresh.page, 'first-login-password');
    await field(fresh.page, '現在のパスワード').fill(oneTime);
    await field(fresh.page, '新しいパスワード（12文字以上）').fill('morisakura-2026-new');
    await field(fresh.page, '新しいパスワード（確認）').fill('morisakura-2026-new');
    await fresh.page.getByRole('button', { name: '変更する' }).click();
    await fresh.page.getByRole('heading', { name: 'マイタスク' }).waitFor();
    expect(problems).toEqual([]);
    expect(fresh.problems).toEqual([]);
    await fresh.context.close();
  }, 120_000);
});
