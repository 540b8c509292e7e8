import type { Page } from 'playwright-core';
import { openCase, setCase } from '../support/cases';
import type { TestUser } from '../support/fixtures';
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
 * The support plan (サポートプラン) on the case page, in Chromium: counselor1
 * drafts a plan with two goals and a support and submits it; supervisor1
 * returns it with a reason; counselor1 reads the reason, edits (meeting a 409
 * on a stale edit on the way) and submits again; supervisor1 approves;
 * counselor1 records the family's agreement. Staff and another district's
 * counselor see nothing of it, as the API decides.
 */
describe('a support plan from draft to the family’s agreement (browser)', () => {
  let c: ConsoleUnderTest;
  let caseId = '';
  let caseUrl = '';
  let counselor1: TestUser;

  /** A demo user's API session, for setting up and for acting "meanwhile" outside the browser. */
  async function apiUser(username: string): Promise<TestUser> {
    const login = await c.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: DEMO_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const token = login.json().accessToken as string;
    const me = await c.t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    return { ...me.json(), token, refreshToken: '' } as TestUser;
  }
  const apiCall = (user: TestUser, method: 'GET' | 'PATCH', url: string, payload?: object, headers = {}) =>
    c.t.app.inject({
      method,
      url,
      payload,
      headers: { authorization: `Bearer ${user.token}`, ...headers },
    });

  beforeAll(async () => {
    c = await startConsole();
    counselor1 = await apiUser('counselor1');
    const chuo = (await apiUser('counselor1')) as unknown as { districts: { districtId: string }[] };
    const opened = await openCase(c.t, counselor1, {
      subject: { familyName: '森', givenName: 'さくら', familyNameKana: 'もり', givenNameKana: 'さくら' },
    });
    caseId = opened.case.id;
    caseUrl = `/cases/${caseId}`;
    // Taken on and under support, counselor1 its primary counselor (the steps before are other tests').
    await setCase(c.t, caseId, {
      status: 'active',
      district_id: chuo.districts[0].districtId,
      primary_counselor_id: counselor1.id,
    });
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
  async function openPlans(page: Page) {
    await page.goto(caseUrl);
    await page.getByRole('heading', { name: '森 さくら' }).waitFor();
    await page.getByRole('tab', { name: '支援計画' }).click();
  }
  const dialog = (page: Page) => page.getByRole('dialog');

  it('counselor1 drafts a plan with two goals and a support, with field errors in Japanese, and submits it', async () => {
    const { page, context, problems } = await newPage(c);
    await loginAs(page, 'counselor1');
    await openPlans(page);
    await page.getByText('支援計画はまだ作成されていません。').waitFor();
    await page.getByRole('button', { name: '支援計画を作成' }).click();
    await field(page, '本人の意向').fill('友だちと一緒に学校へ行きたい。');
    await field(page, '保護者の意向').fill('夜勤の日に子どもを安心して預けたい。');
    await field(page, '課題・ニーズ').fill('母がひとりで夜勤をしながら養育しており、夜間の見守りが不足している。');
    // Nothing in the goal yet: the API's field errors come back next to the goal's fields, in Japanese.
    await page.getByRole('button', { name: '下書きとして保存' }).click();
    await dialog(page).getByText('1文字以上で入力してください').waitFor();
    await dialog(page).getByText('正しい日付を入力してください').waitFor();
    await field(page, '目標 1').fill('週3日以上登校する');
    await field(page, '達成時期 1').fill('2027-03-31');
    // A corrected field no longer reads as wrong.
    expect(await dialog(page).getByText('1文字以上で入力してください').count()).toBe(0);
    await page.getByRole('button', { name: '目標を追加' }).click();
    await field(page, '目標 2').fill('母の夜勤の日も夜間の見守りがある');
    await field(page, '達成時期 2').fill('2027-01-31');
    await page.getByRole('button', { name: '支援を追加' }).click();
    await choose(page, 'サービス 1', 'トワイライトステイ（夜間養護等）');
    await choose(page, '担当機関 1', '母子生活支援施設 あけぼの荘');
    await field(page, '役割・内容 1').fill('母の夜勤の日に夕方から夜間まで預かる');
    await field(page, '頻度 1').fill('週1回');
    await choose(page, '主担当機関', '教育委員会');
    // The dialog scrolls within the window: its top into view for the screenshot.
    await page.locator('.mantine-Modal-body').evaluate((body) => body.parentElement?.scrollTo(0, 0));
    await axeClean(page, 'support-plan-form');
    await page.getByRole('button', { name: '下書きとして保存' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'サポートプラン 第1版' }).waitFor();
    await page.getByRole('cell', { name: '週3日以上登校する' }).waitFor();
    await page.getByRole('cell', { name: 'トワイライトステイ（夜間養護等）' }).waitFor();
    await page.getByRole('cell', { name: '母子生活支援施設 あけぼの荘' }).waitFor();
    await page.getByText('作成中', { exact: true }).first().waitFor();
    // A counselor submits; approving and returning are a supervisor's, and are not offered.
    expect(await page.getByRole('button', { name: '承認', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '差戻し', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: '承認申請', exact: true }).click();
    await dialog(page).getByRole('button', { name: '承認申請する' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await page.getByText('承認待ち', { exact: true }).first().waitFor();
    // Submitted is read-only: no edit, no second version.
    expect(await page.getByRole('button', { name: '編集', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /支援計画を作成|改訂版を作成/ }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('supervisor1 returns it with a reason, which a return cannot go without', async () => {
    const { page, context, problems } = await newPage(c);
    await loginAs(page, 'supervisor1');
    await openPlans(page);
    await page.getByText('田中 美咲', { exact: false }).first().waitFor();
    await page.getByRole('button', { name: '差戻し', exact: true }).click();
    await dialog(page).getByRole('button', { name: '差戻しする' }).click();
    await dialog(page).getByText('入力してください').waitFor();
    await field(page, '差戻しの理由').fill('目標2の達成時期を学期末に合わせ、見守りの担い手を具体的に書いてください。');
    await axeClean(page, 'support-plan-return');
    await dialog(page).getByRole('button', { name: '差戻しする' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await page.getByText('差し戻されました').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('counselor1 reads the reason, meets a 409 on a stale edit, edits and submits again', async () => {
    const { page, context, problems } = await newPage(c);
    await loginAs(page, 'counselor1');
    await openPlans(page);
    await page.getByText('差し戻されました').waitFor();
    await page
      .getByText(/理由：目標2の達成時期を学期末に合わせ/)
      .first()
      .waitFor();
    await page.getByText('佐藤 由美子', { exact: false }).first().waitFor();
    await page.getByRole('button', { name: '編集', exact: true }).click();
    await field(page, '達成時期 2').fill('2027-03-25');

    // Meanwhile the plan is changed elsewhere (counselor1 in another window, through the API).
    const [plan] = (await apiCall(counselor1, 'GET', `/api/v1/cases/${caseId}/plans`)).json().items;
    const other = await apiCall(
      counselor1,
      'PATCH',
      `/api/v1/plans/${plan.id}`,
      { needs: `${plan.needs}祖母は遠方に住む。` },
      { 'if-match': `"${plan.version}"` },
    );
    expect(other.statusCode).toBe(200);

    await page.getByRole('button', { name: '保存する' }).click();
    await dialog(page).getByText('他の職員がこの記録を更新しました').waitFor();
    await screenshot(page, 'support-plan-conflict');
    await dialog(page).getByRole('button', { name: '最新の内容を読み込む' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await page.getByText(/祖母は遠方に住む/).waitFor();
    await page.getByRole('button', { name: '編集', exact: true }).click();
    await field(page, '達成時期 2').fill('2027-03-25');
    await field(page, '目標 2').fill('母の夜勤の日は祖母かトワイライトステイで夜間の見守りがある');
    await page.getByRole('button', { name: '保存する' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: '母の夜勤の日は祖母かトワイライトステイで夜間の見守りがある' }).waitFor();
    await page.getByRole('button', { name: '承認申請', exact: true }).click();
    await dialog(page).getByRole('button', { name: '承認申請する' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await page.getByText('承認待ち', { exact: true }).first().waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('supervisor1 approves; counselor1 records the family’s agreement and reads the whole plan', async () => {
    const supervisor = await newPage(c);
    await loginAs(supervisor.page, 'supervisor1');
    await openPlans(supervisor.page);
    await supervisor.page.getByRole('button', { name: '承認', exact: true }).click();
    await dialog(supervisor.page).getByRole('button', { name: '承認する' }).click();
    await dialog(supervisor.page).waitFor({ state: 'detached' });
    await supervisor.page.getByText('承認済み（実施中）', { exact: true }).first().waitFor();
    // The agreement is the case's counselors' to record; the approver may too (a supervisor edits the case).
    expect(supervisor.problems).toEqual([]);
    await supervisor.context.close();

    const { page, context, problems } = await newPage(c);
    await loginAs(page, 'counselor1');
    await openPlans(page);
    await page.getByRole('button', { name: '説明・同意を記録' }).click();
    await field(page, '同意した人').fill('母');
    await field(page, '備考').fill('家庭訪問で計画書を渡して説明した。');
    await dialog(page).getByRole('button', { name: '記録する' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: '説明・同意を記録' }).count()).toBe(0);
    // Who did what, by name: drafted, submitted, returned and approved, explained.
    const plan = page.getByRole('tabpanel', { name: '支援計画' });
    await plan.getByText('母', { exact: true }).waitFor();
    await plan.getByText('家庭訪問で計画書を渡して説明した。').waitFor();
    expect(await plan.getByText(/田中 美咲（/).count()).toBeGreaterThanOrEqual(2);
    expect(await plan.getByText(/佐藤 由美子（/).count()).toBe(2);
    await plan.getByText('教育委員会').waitFor();
    // A delivered use of a planned service, recorded against the plan in force; a stay asks for its nights.
    await page.getByRole('button', { name: '利用実績を記録' }).click();
    await choose(page, 'サービス', 'ショートステイ（子育て短期支援）');
    await field(page, '利用日（開始日）').fill('2026-12-01');
    await field(page, '終了日').fill('2026-12-03');
    await dialog(page).getByRole('button', { name: '記録する' }).click();
    await dialog(page).getByText('入力してください').waitFor();
    await field(page, '泊数').fill('2');
    await dialog(page).getByRole('button', { name: '記録する' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: '2泊' }).waitFor();
    await page.getByText(/ショートステイ（子育て短期支援） 1回（延べ1人・2泊）/).waitFor();
    // A revision starts from the plan in force.
    await page.getByRole('button', { name: '改訂版を作成' }).click();
    expect(await field(page, '目標 2').inputValue()).toBe('母の夜勤の日は祖母かトワイライトステイで夜間の見守りがある');
    await page.getByRole('button', { name: 'やめる' }).click();
    // The app's header is fixed: the page from its top, so a full-page screenshot shows it once, at the top.
    await page.evaluate('window.scrollTo(0, 0)');
    await axeClean(page, 'support-plan-view');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('staff and another district’s counselor see nothing of it, as the API decides', async () => {
    const staff = await apiUser('staff1');
    const counselor3 = await apiUser('counselor3');
    expect((await apiCall(staff, 'GET', `/api/v1/cases/${caseId}/plans`)).statusCode).toBe(403);
    expect((await apiCall(counselor3, 'GET', `/api/v1/cases/${caseId}/plans`)).statusCode).toBe(404);

    const { page, context, problems } = await newPage(c);
    await loginAs(page, 'counselor3');
    await page.goto(caseUrl);
    await page.getByText('記録が見つかりません').waitFor();
    expect(await page.getByRole('tab', { name: '支援計画' }).count()).toBe(0);
    expect(await page.getByText('週3日以上登校する').count()).toBe(0);
    await context.close();

    const other = await newPage(c);
    await loginAs(other.page, 'staff1');
    await other.page.goto(caseUrl);
    await other.page.getByRole('alert').waitFor();
    expect(await other.page.getByRole('tab', { name: '支援計画' }).count()).toBe(0);
    expect(await other.page.getByText('週3日以上登校する').count()).toBe(0);
    expect([...problems, ...other.problems]).toEqual([]);
    await other.context.close();
  }, 120_000);
});
