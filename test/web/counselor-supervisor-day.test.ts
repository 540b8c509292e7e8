import type { Page } from 'playwright-core';
import {
  axeViolations,
  ConsoleUnderTest,
  DEMO_PASSWORD,
  field,
  loginAs,
  newPage,
  screenshot,
  startConsole,
} from '../support/browser';

/**
 * The day of issue 17, end to end in Chromium: a counselor records an abuse
 * call and sees the 48-hour safety check; the supervisor accepts the intake
 * and assigns it; the new counselor completes the check with its outcome.
 * Along the way: a refused action is absent, a deep link survives a reload,
 * a 409 is shown with a reload, and each screen passes axe.
 */
describe('a counselor’s and a supervisor’s day (browser)', () => {
  let c: ConsoleUnderTest;
  let caseUrl = '';
  beforeAll(async () => {
    c = await startConsole();
  }, 120_000);
  afterAll(async () => c?.close());

  const axeClean = async (page: Page, name: string) => {
    expect({ screen: name, violations: await axeViolations(page) }).toEqual({ screen: name, violations: [] });
    await screenshot(page, name);
  };

  async function choose(page: Page, label: string, option: string) {
    await page.getByRole('combobox', { name: label }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  it('counselor1 records an abuse call on the intake form and sees the safety check with its time left', async () => {
    const { page, context, problems } = await newPage(c);
    await loginAs(page, 'counselor1');
    await page.getByRole('link', { name: '受付票（新規受付）' }).click();
    await field(page, '氏').fill('山田');
    await field(page, '名').fill('花子');
    await field(page, '氏（ふりがな）').fill('やまだ');
    await field(page, '名（ふりがな）').fill('はなこ');
    await field(page, '生年月日').fill('2019-05-10');
    await field(page, '住所').fill('中央一丁目2-3');
    await field(page, '相談の概要').fill('近隣住民より、夜間に子どもの泣き声と怒鳴り声が続くとの通報。');
    await field(page, '虐待通告として受理').check();
    await axeClean(page, 'intake-form');
    // A field error comes back next to its field, in Japanese.
    await field(page, '氏（ふりがな）').fill('Yamada');
    await field(page, '生年月日').fill('2099-05-10');
    await page.getByRole('button', { name: '受付を登録' }).click();
    await page.getByText('ふりがなはひらがなかカタカナで入力してください').waitFor();
    await page.getByText('未来の日付は入力できません').waitFor();
    expect(page.url()).toMatch(/\/intake$/);
    await field(page, '氏（ふりがな）').fill('やまだ');
    await field(page, '生年月日').fill('2019-05-10');
    await field(page, '対応時間（分）').fill('20');
    await page.getByRole('button', { name: '受付を登録' }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    caseUrl = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: '山田 花子' }).waitFor();
    await page.getByText('受付', { exact: true }).first().waitFor();
    // The counselor may not accept an intake: the API lists no such action, and no button shows it.
    expect(await page.getByRole('button', { name: '受理', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '担当割当' }).count()).toBe(0);
    await axeClean(page, 'case-page');
    await page.getByRole('tab', { name: 'タスク' }).click();
    const left = page.getByTestId('time-left').first();
    await left.waitFor();
    expect(await left.textContent()).toMatch(/^残り (4[0-7]|3\d)時間\d+分$/);
    await page.getByRole('link', { name: 'マイタスク' }).click();
    await page.getByRole('button', { name: '安全確認を記録' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('supervisor1 finds it in the intake queue, accepts it, and a stale assignment shows the 409 with a reload', async () => {
    const { page, context, problems } = await newPage(c);
    await loginAs(page, 'supervisor1');
    await page.getByRole('link', { name: '受付待ち' }).click();
    await page
      .getByRole('link', { name: /^\d{4}-/ })
      .first()
      .waitFor();
    await axeClean(page, 'intake-queue');
    await page.goto(caseUrl);
    await page.getByRole('button', { name: '受理', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '受理する' }).click();
    await page.getByText('調査・アセスメント').first().waitFor();

    // Someone else changes the case meanwhile (another supervisor's assignment, through the API).
    const login = await c.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'supervisor1', password: DEMO_PASSWORD },
    });
    const token = login.json().accessToken as string;
    const id = caseUrl.split('/').pop()!;
    const current = (
      await c.t.app.inject({ method: 'GET', url: `/api/v1/cases/${id}`, headers: { authorization: `Bearer ${token}` } })
    ).json();
    const changed = await c.t.app.inject({
      method: 'PUT',
      url: `/api/v1/cases/${id}/assignment`,
      headers: { authorization: `Bearer ${token}` },
      payload: {
        districtId: current.districtId,
        primaryCounselorId: current.primaryCounselorId,
        coCounselorIds: [],
        version: current.version,
      },
    });
    expect(changed.statusCode).toBe(200);

    await page.getByRole('button', { name: '担当割当' }).click();
    await choose(page, '主担当', '伊藤 翔太');
    await page.getByRole('button', { name: '割り当てる' }).click();
    await page.getByText('他の職員がこの記録を更新しました').waitFor();
    await screenshot(page, 'version-conflict');
    await page.getByRole('button', { name: '最新の内容を読み込む' }).click();
    await page.getByRole('button', { name: '担当割当' }).click();
    await choose(page, '主担当', '伊藤 翔太');
    await page.getByRole('button', { name: '割り当てる' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    // A deep link reloaded keeps the session and the page.
    await page.reload();
    await page.getByRole('heading', { name: '山田 花子' }).waitFor();
    await page.getByText('主担当 伊藤 翔太').waitFor();
    // The supervisor's other screens: closure approvals, overdue work, caseloads.
    await page.getByRole('link', { name: '終結承認' }).click();
    await page.getByRole('heading', { name: '終結承認待ち' }).waitFor();
    await page.getByText('該当するものはありません。').waitFor();
    await page.getByRole('link', { name: '期限超過' }).click();
    await page.getByRole('heading', { name: '期限超過・エスカレーション' }).waitFor();
    await page.getByText('該当するものはありません。').waitFor();
    await axeClean(page, 'overdue-work');
    await page.getByRole('link', { name: '担当件数' }).click();
    await page.getByRole('cell', { name: '伊藤 翔太' }).waitFor();
    await page
      .getByRole('row', { name: /伊藤 翔太/ })
      .getByText('1件', { exact: true })
      .first()
      .waitFor();
    await axeClean(page, 'caseloads');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('counselor2, now responsible, completes the safety check with its outcome', async () => {
    const { page, context, problems } = await newPage(c);
    await loginAs(page, 'counselor2');
    await page.getByRole('button', { name: '安全確認を記録' }).click();
    await field(page, '確認場所').fill('自宅');
    await field(page, '確認者').fill('伊藤（センター）、保健師');
    await page.getByRole('radio', { name: '安全を確認' }).check();
    await axeClean(page, 'safety-check-dialog');
    await page.getByRole('button', { name: '完了にする' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByText('該当するものはありません。').waitFor();
    await page.goto(caseUrl);
    await page.getByRole('tab', { name: 'タスク' }).click();
    await page.getByText(/結果: 安全を確認/).waitFor();
    await page.getByRole('button', { name: 'タスクを追加' }).click();
    await field(page, '件名').fill('学校へ登校状況を確認');
    await page.getByRole('button', { name: '追加する' }).click();
    await page.getByRole('cell', { name: '学校へ登校状況を確認' }).waitFor();
    await page.getByRole('button', { name: 'アセスメント編集' }).click();
    await choose(page, 'リスク', '高');
    await page.getByRole('button', { name: '保存する' }).click();
    await page.getByText('リスク 高').waitFor();
    await page.getByRole('tab', { name: '会議' }).click();
    await page.getByRole('button', { name: '会議を記録' }).click();
    await field(page, '決定事項').fill('週1回の家庭訪問と学校との情報共有を継続する。');
    await page.getByRole('dialog').getByRole('button', { name: '記録する' }).click();
    await page
      .getByRole('tabpanel', { name: '会議' })
      .getByText('週1回の家庭訪問と学校との情報共有を継続する。')
      .waitFor();
    await page.getByRole('tab', { name: '経過記録' }).click();
    await page.getByRole('button', { name: '相談を追加' }).click();
    await field(page, '内容').fill('家庭訪問。本人と母に面会し、外傷のないことを確認した。');
    await page.getByRole('button', { name: '記録する' }).click();
    await page.getByText('家庭訪問。本人と母に面会し').waitFor();
    await axeClean(page, 'case-page-progress');
    await page.getByRole('link', { name: 'ケース一覧' }).click();
    await page.getByRole('textbox', { name: '検索（ケース番号・氏名・ふりがな）' }).fill('やまだ');
    await page.getByRole('button', { name: '検索' }).click();
    await page.getByRole('cell', { name: '山田 花子' }).waitFor();
    await axeClean(page, 'case-list');
    await page.goto(`${caseUrl}/print`);
    await page.getByRole('heading', { name: '児童記録票' }).waitFor();
    await axeClean(page, 'print-record');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
