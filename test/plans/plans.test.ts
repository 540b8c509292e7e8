import { UnplannedCases } from '../../src/plans/unplanned-cases.jobs';
import { openCase, setCase } from '../support/cases';
import { call, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/** A plan body that passes every rule; overrides replace fields. */
const planBody = (overrides: Record<string, unknown> = {}) => ({
  subjectWishes: '学校に行けるようになりたい',
  guardianWishes: '夜に休める時間がほしい',
  needs: '母の育児負担が大きく、夜間の養育が不安定。',
  goals: [{ goal: '週3日登校する', targetDate: '2027-03-31' }],
  supports: [
    { serviceCode: 'short_stay', role: '月2泊の短期入所で母の休息を確保', frequency: '月2泊' },
    { role: '地区担当が月1回家庭訪問' },
  ],
  nextReviewAt: inDays(90),
  ...overrides,
});

describe('support plans and services', () => {
  let t: TestApp;
  let w: World;
  let org: string;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    const res = await call(t, w.admin, {
      method: 'POST',
      url: '/api/v1/organizations',
      payload: { name: '乳児院あおば', kind: 'external', type: 'other', councilMember: true },
    });
    org = res.json().id;
  });
  afterAll(async () => t?.close());

  /** A case of district A, assigned to counselorA, under support. */
  async function activeCase(status = 'active') {
    const { case: c } = await openCase(t, w.counselorA);
    await setCase(t, c.id, { status, district_id: w.districtA, primary_counselor_id: w.counselorA.id });
    return c.id;
  }

  const draft = (user: World['admin'], caseId: string, overrides: Record<string, unknown> = {}) =>
    call(t, user, { method: 'POST', url: `/api/v1/cases/${caseId}/plans`, payload: planBody(overrides) });
  const act = (user: World['admin'], planId: string, action: string, extra: object = {}) =>
    call(t, user, { method: 'POST', url: `/api/v1/plans/${planId}/transitions`, payload: { action, ...extra } });
  const agree = (user: World['admin'], planId: string, payload: object) =>
    call(t, user, { method: 'POST', url: `/api/v1/plans/${planId}/agreement`, payload });
  /** Drafted by counselorA, approved by supervisorA. */
  async function approvedPlan(caseId: string) {
    const plan = (await draft(w.counselorA, caseId)).json();
    await act(w.counselorA, plan.id, 'submit');
    return (await act(w.supervisorA, plan.id, 'approve')).json();
  }
  const count = async (sql: string, params: unknown[]) =>
    ((await t.db.query(`SELECT count(*)::int AS n FROM ${sql}`, params)) as { n: number }[])[0].n;

  describe('the services code list', () => {
    const added = { code: 'postpartum_care', label: { ja: '産後ケア', en: 'Postpartum care' }, measure: 'nights' };

    it('lists the seeded services for every role', async () => {
      for (const user of [w.counselorA, w.supervisorA, w.staff, w.admin]) {
        const res = await call(t, user, { method: 'GET', url: '/api/v1/services' });
        expect(res.statusCode).toBe(200);
        expect(res.json().items.map((s: { code: string }) => s.code)).toEqual(
          expect.arrayContaining(['household_visit_support', 'short_stay', 'twilight_stay', 'family_support']),
        );
      }
      const items = (await call(t, w.staff, { method: 'GET', url: '/api/v1/services' })).json().items;
      expect(items.find((s: { code: string }) => s.code === 'short_stay')).toEqual({
        code: 'short_stay',
        label: { ja: 'ショートステイ（子育て短期支援）', en: 'Short stay' },
        measure: 'nights',
        active: true,
        version: 1,
      });
    });

    it('only admins add services; bad input is a 400 and adds nothing', async () => {
      for (const user of [w.counselorA, w.supervisorA, w.staff]) {
        expect((await call(t, user, { method: 'POST', url: '/api/v1/services', payload: added })).statusCode).toBe(403);
      }
      const created = await call(t, w.admin, { method: 'POST', url: '/api/v1/services', payload: added });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ code: 'postpartum_care', active: true, version: 1 });
      const again = await call(t, w.admin, { method: 'POST', url: '/api/v1/services', payload: added });
      expect([again.statusCode, again.json().code]).toEqual([409, 'conflict']);
      for (const bad of [
        { ...added, code: 'Bad Code' },
        { ...added, code: 'x2', measure: 'weeks' },
        { ...added, code: 'x3', label: { ja: '' } },
        { ...added, code: 'x4', extra: 1 },
        { code: 'x5', measure: 'none' },
        { ...added, code: 'x6', label: null },
        { ...added, code: 'x7', label: '産後ケア' },
      ]) {
        const res = await call(t, w.admin, { method: 'POST', url: '/api/v1/services', payload: bad });
        expect([res.statusCode, res.json().code]).toEqual([400, 'validation_failed']);
      }
      expect(await count(`services WHERE code LIKE 'x%'`, [])).toBe(0);
      // the city's service goes after the seeded ones, before その他
      const list = (await call(t, w.admin, { method: 'GET', url: '/api/v1/services' })).json().items;
      expect(list.slice(-2).map((s: { code: string }) => s.code)).toEqual(['postpartum_care', 'other']);
    });

    it('a service is retired, not deleted, with If-Match', async () => {
      const url = '/api/v1/services/postpartum_care';
      expect(
        (
          await call(t, w.supervisorA, {
            method: 'PATCH',
            url,
            headers: { 'if-match': '"1"' },
            payload: { active: false },
          })
        ).statusCode,
      ).toBe(403);
      const retired = await call(t, w.admin, {
        method: 'PATCH',
        url,
        headers: { 'if-match': '"1"' },
        payload: { active: false },
      });
      expect(retired.json()).toMatchObject({ active: false, version: 2 });
      const stale = await call(t, w.admin, { method: 'PATCH', url, headers: { 'if-match': '"1"' }, payload: {} });
      expect([stale.statusCode, stale.json().code]).toEqual([409, 'version_conflict']);
      const missing = await call(t, w.admin, {
        method: 'PATCH',
        url: '/api/v1/services/no_such',
        headers: { 'if-match': '"1"' },
        payload: {},
      });
      expect(missing.statusCode).toBe(404);
    });
  });

  describe('plans: draft, approve, revise, history', () => {
    it('the case counselor drafts; a supervisor approves after submission; approval makes a review task', async () => {
      const caseId = await activeCase();
      const created = await draft(w.counselorA, caseId, { leadAgencyId: org });
      expect(created.statusCode).toBe(201);
      const plan = created.json();
      expect(plan).toMatchObject({
        caseId,
        versionNumber: 1,
        status: 'draft',
        needs: planBody().needs,
        goals: planBody().goals,
        supports: planBody().supports,
        leadAgencyId: org,
        draftedBy: w.counselorA.id,
        familyAgreement: null,
        delivered: [],
        allowedActions: ['submit'],
        version: 1,
      });

      // no approval without submission, and never by a counselor, staff or admin
      const early = await act(w.supervisorA, plan.id, 'approve');
      expect([early.statusCode, early.json().code]).toEqual([409, 'illegal_transition']);
      expect(early.json().allowedActions).toEqual(['submit']);
      const submitted = await act(w.counselorA, plan.id, 'submit');
      expect(submitted.json()).toMatchObject({ status: 'submitted', submittedBy: w.counselorA.id, allowedActions: [] });
      expect((await act(w.counselorA, plan.id, 'approve')).statusCode).toBe(403);
      expect((await act(w.leadA, plan.id, 'approve')).statusCode).toBe(403);
      expect((await act(w.supervisorB, plan.id, 'approve')).statusCode).toBe(404);
      expect((await act(w.staff, plan.id, 'approve')).statusCode).toBe(403);
      expect((await act(w.admin, plan.id, 'approve')).statusCode).toBe(403);
      expect(await count(`tasks WHERE case_id = $1`, [caseId])).toBe(0);
      expect(await count(`support_plans WHERE id = $1 AND status = 'submitted'`, [plan.id])).toBe(1);

      const asSupervisor = (await call(t, w.supervisorA, { method: 'GET', url: `/api/v1/plans/${plan.id}` })).json();
      expect(asSupervisor.allowedActions.sort()).toEqual(['approve', 'return']);
      const approved = await act(w.supervisorA, plan.id, 'approve');
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({ status: 'approved', approvedBy: w.supervisorA.id, allowedActions: [] });
      const [task] = await t.db.query(`SELECT * FROM tasks WHERE case_id = $1`, [caseId]);
      expect(task).toMatchObject({
        id: approved.json().reviewTaskId,
        kind: 'review',
        status: 'open',
        assignee_id: w.counselorA.id,
        origin: 'plan',
      });
      expect(new Date(task.due_at).toISOString()).toBe(new Date(plan.nextReviewAt).toISOString());

      // an approved version is read-only
      const edit = await call(t, w.counselorA, {
        method: 'PATCH',
        url: `/api/v1/plans/${plan.id}`,
        headers: { 'if-match': `"${approved.json().version}"` },
        payload: { needs: '書き換え' },
      });
      expect([edit.statusCode, edit.json().code]).toEqual([409, 'conflict']);
      const again = await act(w.supervisorA, plan.id, 'approve');
      expect(again.statusCode).toBe(409);
      expect(await count(`tasks WHERE case_id = $1`, [caseId])).toBe(1);
    });

    it('a revision is a new version; the one in force is superseded only when the next is approved', async () => {
      const caseId = await activeCase();
      const v1 = await approvedPlan(caseId);

      const v2res = await draft(w.counselorA, caseId, { needs: '登校は安定。母の就労開始に伴う夕方の見守りが課題。' });
      expect(v2res.statusCode).toBe(201);
      const v2 = v2res.json();
      expect(v2).toMatchObject({ versionNumber: 2, status: 'draft' });
      const twice = await draft(w.counselorA, caseId);
      expect([twice.statusCode, twice.json().code]).toEqual([409, 'conflict']);

      // a draft is edited with If-Match
      const noMatch = await call(t, w.counselorA, {
        method: 'PATCH',
        url: `/api/v1/plans/${v2.id}`,
        payload: { guardianWishes: '仕事を続けたい' },
      });
      expect(noMatch.statusCode).toBe(428);
      const edited = await call(t, w.counselorA, {
        method: 'PATCH',
        url: `/api/v1/plans/${v2.id}`,
        headers: { 'if-match': '"1"' },
        payload: {
          guardianWishes: '仕事を続けたい',
          supports: [{ serviceCode: 'twilight_stay', role: '夕方の預かり' }],
        },
      });
      expect(edited.json()).toMatchObject({
        guardianWishes: '仕事を続けたい',
        supports: [{ serviceCode: 'twilight_stay', role: '夕方の預かり' }],
        needs: v2.needs,
        version: 2,
      });
      const stale = await call(t, w.counselorA, {
        method: 'PATCH',
        url: `/api/v1/plans/${v2.id}`,
        headers: { 'if-match': '"1"' },
        payload: { needs: 'x' },
      });
      expect([stale.statusCode, stale.json().code]).toEqual([409, 'version_conflict']);

      // a supervisor returns it with a reason, then approves the resubmission
      await act(w.counselorA, v2.id, 'submit');
      expect((await act(w.supervisorA, v2.id, 'return')).statusCode).toBe(400);
      const returned = await act(w.supervisorA, v2.id, 'return', { reason: '目標の期日を具体的に' });
      expect(returned.json()).toMatchObject({ status: 'draft', returnReason: '目標の期日を具体的に' });
      expect((await call(t, w.counselorA, { method: 'GET', url: `/api/v1/plans/${v1.id}` })).json().status).toBe(
        'approved',
      );
      await act(w.counselorA, v2.id, 'submit');
      expect((await act(w.supervisorA, v2.id, 'approve')).statusCode).toBe(200);

      const history = await call(t, w.leadA, { method: 'GET', url: `/api/v1/cases/${caseId}/plans` });
      expect(history.statusCode).toBe(200);
      const items = history.json().items as { versionNumber: number; status: string }[];
      expect(items.map((p) => [p.versionNumber, p.status])).toEqual([
        [2, 'approved'],
        [1, 'superseded'],
      ]);
      expect(items[1]).toMatchObject({ needs: v1.needs, supersededAt: expect.any(String) });
      expect(await count(`tasks WHERE case_id = $1 AND kind = 'review' AND origin = 'plan'`, [caseId])).toBe(2);
    });

    it('the family agreement is recorded once, on the plan in force', async () => {
      const caseId = await activeCase();
      const v1 = (await draft(w.counselorA, caseId)).json();
      expect((await agree(w.counselorA, v1.id, { explainedOn: '2026-06-10', agreedBy: '母' })).statusCode).toBe(409);
      await act(w.counselorA, v1.id, 'submit');
      await act(w.supervisorA, v1.id, 'approve');
      const future = await agree(w.counselorA, v1.id, { explainedOn: inDays(3).slice(0, 10), agreedBy: '母' });
      expect(future.statusCode).toBe(400);
      expect((await agree(w.staff, v1.id, { explainedOn: '2026-06-10', agreedBy: '母' })).statusCode).toBe(403);
      expect((await agree(w.counselorB, v1.id, { explainedOn: '2026-06-10', agreedBy: '母' })).statusCode).toBe(404);
      expect(await count(`support_plans WHERE id = $1 AND explained_on IS NULL`, [v1.id])).toBe(1);
      const agreed = await agree(w.counselorA, v1.id, {
        explainedOn: '2026-06-10',
        agreedBy: '母',
        note: '家庭訪問で説明',
      });
      expect(agreed.statusCode).toBe(200);
      expect(agreed.json().familyAgreement).toEqual({
        explainedOn: '2026-06-10',
        explainedBy: w.counselorA.id,
        explainedByUser: { id: w.counselorA.id, displayName: 'Test counselor_a' },
        agreedBy: '母',
        note: '家庭訪問で説明',
      });
      expect((await agree(w.counselorA, v1.id, { explainedOn: '2026-06-11', agreedBy: '父' })).statusCode).toBe(409);
    });

    it('access follows the case: staff and admins are refused, other districts see nothing', async () => {
      const caseId = await activeCase();
      const plan = (await draft(w.counselorA, caseId)).json();
      // a counselor of the district may read, not draft, a case they are not assigned to
      expect((await call(t, w.leadA, { method: 'GET', url: `/api/v1/plans/${plan.id}` })).statusCode).toBe(200);
      expect((await draft(w.leadA, caseId)).statusCode).toBe(403);
      for (const user of [w.staff, w.admin]) {
        expect((await call(t, user, { method: 'GET', url: `/api/v1/cases/${caseId}/plans` })).statusCode).toBe(403);
        expect((await call(t, user, { method: 'GET', url: `/api/v1/plans/${plan.id}` })).statusCode).toBe(403);
        expect((await draft(user, caseId)).statusCode).toBe(403);
      }
      // staff who see the case header (it has a referral) still never see the plan
      await setCase(t, caseId, { has_referral: true });
      expect((await call(t, w.staff, { method: 'GET', url: `/api/v1/cases/${caseId}` })).statusCode).toBe(200);
      expect((await call(t, w.staff, { method: 'GET', url: `/api/v1/plans/${plan.id}` })).statusCode).toBe(403);
      for (const user of [w.counselorB, w.supervisorB]) {
        expect((await call(t, user, { method: 'GET', url: `/api/v1/cases/${caseId}/plans` })).statusCode).toBe(404);
        expect((await call(t, user, { method: 'GET', url: `/api/v1/plans/${plan.id}` })).statusCode).toBe(404);
        expect((await draft(user, caseId)).statusCode).toBe(404);
        const patch = await call(t, user, {
          method: 'PATCH',
          url: `/api/v1/plans/${plan.id}`,
          headers: { 'if-match': '"1"' },
          payload: { needs: 'x' },
        });
        expect(patch.statusCode).toBe(404);
      }
      // confidential: the district's other counselors lose sight of it
      await setCase(t, caseId, { confidential: true });
      expect((await call(t, w.leadA, { method: 'GET', url: `/api/v1/plans/${plan.id}` })).statusCode).toBe(404);
      expect((await call(t, w.counselorA, { method: 'GET', url: `/api/v1/plans/${plan.id}` })).statusCode).toBe(200);
      expect((await call(t, w.counselorA, { method: 'GET', url: `/api/v1/plans/${NO_SUCH_ID}` })).statusCode).toBe(404);
      expect(
        (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${NO_SUCH_ID}/plans` })).statusCode,
      ).toBe(404);
    });

    it('bad input is a 400 problem and changes nothing', async () => {
      const caseId = await activeCase();
      const bad = [
        { needs: '' },
        { goals: [] },
        { goals: [{ goal: '登校', targetDate: '2026-02-30' }] },
        { supports: [{ serviceCode: 'no_such_service', role: 'x' }] },
        { supports: [{ organizationId: NO_SUCH_ID, role: 'x' }] },
        { supports: [{ role: '' }] },
        { leadAgencyId: 'not-a-uuid' },
        { leadAgencyId: NO_SUCH_ID },
        { nextReviewAt: '2020-01-01T09:00:00+09:00' },
        { nextReviewAt: '2027-01-01' },
        { needs: 'x'.repeat(20_001) },
        { status: 'approved' },
      ];
      for (const overrides of bad) {
        const res = await draft(w.counselorA, caseId, overrides);
        const name = JSON.stringify(overrides).slice(0, 60);
        expect([name, res.statusCode, res.json().code]).toEqual([name, 400, 'validation_failed']);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      expect(await count(`support_plans WHERE case_id = $1`, [caseId])).toBe(0);
      const unknownAction = await act(w.supervisorA, NO_SUCH_ID, 'publish');
      expect(unknownAction.statusCode).toBe(400);
      expect((await call(t, w.counselorA, { method: 'GET', url: '/api/v1/plans/nope' })).statusCode).toBe(400);
      // text is stored verbatim, never executed
      const text = "<script>alert(1)</script>'; DROP TABLE cases;--";
      expect((await draft(w.counselorA, caseId, { needs: text })).json().needs).toBe(text);
      expect(await count(`support_plans WHERE case_id = $1`, [caseId])).toBe(1);
      // no plan for a case not yet taken on
      const intake = (await openCase(t, w.counselorA)).case.id;
      expect((await draft(w.counselorA, intake)).statusCode).toBe(409);
      expect(await count(`support_plans WHERE case_id = $1`, [intake])).toBe(0);
    });
  });

  describe('service uses', () => {
    it('records uses against the plan in force, checks the measure, cancels with a reason', async () => {
      const caseId = await activeCase();
      const plan = await approvedPlan(caseId);
      const record = (user: World['admin'], payload: object) =>
        call(t, user, { method: 'POST', url: `/api/v1/cases/${caseId}/service-uses`, payload });

      const stay = {
        serviceCode: 'short_stay',
        startDate: '2026-06-05',
        endDate: '2026-06-07',
        nights: 2,
        providerOrganizationId: org,
      };
      // Each refusal names its field and rule (a client says it in its own words by the code).
      const bad: [object, string, string][] = [
        [{ ...stay, nights: undefined }, 'nights', 'required'],
        [{ ...stay, nights: 5 }, 'nights', 'too_many_nights'],
        [{ ...stay, endDate: '2026-06-01' }, 'endDate', 'before_start'],
        [{ ...stay, startDate: inDays(5).slice(0, 10), endDate: undefined }, 'startDate', 'not_in_the_future'],
        [{ ...stay, serviceCode: 'postpartum_care' }, 'serviceCode', 'inactive'],
        [{ ...stay, serviceCode: 'nope' }, 'serviceCode', 'not_found'],
        [{ ...stay, hours: 3 }, 'hours', 'not_applicable'],
        [{ ...stay, persons: 0 }, 'persons', 'min'],
        [{ ...stay, providerOrganizationId: NO_SUCH_ID }, 'providerOrganizationId', 'not_found'],
        [{ serviceCode: 'family_support', startDate: '2026-06-05' }, 'hours', 'required'],
        [{ serviceCode: 'family_support', startDate: '2026-06-05', hours: 1.25 }, 'hours', 'number'],
        [{ serviceCode: 'parent_child_class', startDate: '2026-06-05', nights: 1 }, 'nights', 'not_applicable'],
      ];
      for (const [payload, field, code] of bad) {
        const res = await record(w.counselorA, payload);
        const name = JSON.stringify(payload).slice(0, 80);
        expect([name, res.statusCode, res.json().code]).toEqual([name, 400, 'validation_failed']);
        expect([name, res.json().errors]).toEqual([
          name,
          expect.arrayContaining([expect.objectContaining({ field, code })]),
        ]);
      }
      expect(await count(`service_uses WHERE case_id = $1`, [caseId])).toBe(0);
      expect((await record(w.staff, stay)).statusCode).toBe(403);
      expect((await record(w.admin, stay)).statusCode).toBe(403);
      expect((await record(w.leadA, stay)).statusCode).toBe(403);
      expect((await record(w.counselorB, stay)).statusCode).toBe(404);
      expect((await record(w.supervisorB, stay)).statusCode).toBe(404);

      const created = await record(w.counselorA, stay);
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({
        caseId,
        serviceCode: 'short_stay',
        planId: plan.id,
        startDate: '2026-06-05',
        endDate: '2026-06-07',
        nights: 2,
        hours: null,
        persons: 1,
        providerOrganizationId: org,
        status: 'recorded',
        recordedBy: w.counselorA.id,
      });
      const help = await record(w.supervisorA, {
        serviceCode: 'family_support',
        startDate: '2026-06-10',
        hours: 2.5,
        persons: 2,
      });
      expect(help.json()).toMatchObject({ hours: 2.5, persons: 2, endDate: '2026-06-10' });

      const list = await call(t, w.leadA, { method: 'GET', url: `/api/v1/cases/${caseId}/service-uses?limit=1` });
      expect(list.json().items.map((u: { id: string }) => u.id)).toEqual([help.json().id]);
      const next = await call(t, w.leadA, {
        method: 'GET',
        url: `/api/v1/cases/${caseId}/service-uses?limit=1&cursor=${list.json().nextCursor}`,
      });
      expect(next.json()).toMatchObject({ items: [{ id: created.json().id }], nextCursor: null });
      expect((await call(t, w.staff, { method: 'GET', url: `/api/v1/cases/${caseId}/service-uses` })).statusCode).toBe(
        403,
      );
      const other = await call(t, w.counselorB, { method: 'GET', url: `/api/v1/service-uses/${help.json().id}` });
      expect(other.statusCode).toBe(404);

      const withDelivered = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/plans/${plan.id}` })).json();
      expect(withDelivered.delivered).toEqual([
        { serviceCode: 'family_support', uses: 1, persons: 2, nights: 0, hours: 2.5 },
        { serviceCode: 'short_stay', uses: 1, persons: 1, nights: 2, hours: 0 },
      ]);

      const cancel = (user: World['admin'], payload: object) =>
        call(t, user, { method: 'POST', url: `/api/v1/service-uses/${help.json().id}/cancel`, payload });
      expect((await cancel(w.counselorA, {})).statusCode).toBe(400);
      expect((await cancel(w.staff, { reason: '誤登録' })).statusCode).toBe(403);
      expect((await cancel(w.counselorB, { reason: '誤登録' })).statusCode).toBe(404);
      const cancelled = await cancel(w.counselorA, { reason: '誤登録' });
      expect(cancelled.json()).toMatchObject({
        status: 'cancelled',
        cancelReason: '誤登録',
        cancelledBy: w.counselorA.id,
      });
      expect((await cancel(w.counselorA, { reason: '再度' })).statusCode).toBe(409);
      const after = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/plans/${plan.id}` })).json();
      expect(after.delivered.map((d: { serviceCode: string }) => d.serviceCode)).toEqual(['short_stay']);

      // a closed case takes no writes: no new uses, no cancelling, no agreement; reading goes on
      await setCase(t, caseId, { status: 'closed', closure_reason: 'resolved' });
      expect((await record(w.counselorA, stay)).statusCode).toBe(409);
      const late = await call(t, w.counselorA, {
        method: 'POST',
        url: `/api/v1/service-uses/${created.json().id}/cancel`,
        payload: { reason: '誤登録' },
      });
      expect(late.statusCode).toBe(409);
      expect((await agree(w.counselorA, plan.id, { explainedOn: '2026-06-10', agreedBy: '母' })).statusCode).toBe(409);
      expect(
        (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/service-uses/${created.json().id}` })).statusCode,
      ).toBe(200);
      expect(await count(`service_uses WHERE case_id = $1 AND status = 'recorded'`, [caseId])).toBe(1);
    });
  });

  describe('the unplanned-case rule', () => {
    it('flags a case active too long without an approved plan to its supervisors, once', async () => {
      const sweep = () => t.app.get(UnplannedCases).sweep();
      const becameActive = (id: string, daysAgo: number) =>
        t.db.query(
          `INSERT INTO case_events (case_id, occurred_at, kind, action, from_status, to_status)
           VALUES ($1, now() - make_interval(days => $2), 'transition', 'start_support', 'assessment', 'active')`,
          [id, daysAgo],
        );
      const old = await activeCase();
      const recent = await activeCase();
      const planned = await activeCase();
      const monitored = await activeCase('monitoring');
      for (const id of [old, planned, monitored]) await becameActive(id, 31);
      // accepted long ago, but active only since 5 days
      await becameActive(recent, 5);
      await setCase(t, recent, { accepted_at: new Date(Date.now() - 60 * DAY) });
      await approvedPlan(planned);
      // a draft alone is not a plan
      await draft(w.counselorA, old);

      // (cases of the other tests, active since they were opened in June, are flagged too)
      const mine = [old, recent, planned, monitored];
      const flags = async (userId: string) =>
        (
          (await t.db.query(
            `SELECT case_id FROM notifications WHERE user_id = $1 AND kind = 'plan_missing' AND case_id = ANY($2)
              ORDER BY created_at`,
            [userId, mine],
          )) as { case_id: string }[]
        ).map((n) => n.case_id);
      expect(await sweep()).toBeGreaterThanOrEqual(1);
      expect(await sweep()).toBe(0);
      expect(await flags(w.supervisorA.id)).toEqual([old]);
      expect(await flags(w.supervisorB.id)).toEqual([]);
      expect(await flags(w.counselorA.id)).toEqual([]);
      const listed = (await call(t, w.supervisorA, { method: 'GET', url: '/api/v1/notifications?limit=100' })).json();
      expect(listed.items.filter((n: { caseId: string }) => n.caseId === old)).toMatchObject([
        { kind: 'plan_missing', title: expect.stringContaining('支援計画') },
      ]);

      // active again after a spell in monitoring: a new stretch, flagged once it too is old enough
      await becameActive(old, 0);
      expect(await sweep()).toBe(0);
      await t.db.query(
        `UPDATE case_events SET occurred_at = now() - interval '30 days 12 hours'
          WHERE case_id = $1 AND occurred_at > now() - interval '1 day'`,
        [old],
      );
      expect(await sweep()).toBe(1);
      expect(await flags(w.supervisorA.id)).toEqual([old, old]);
    });
  });

  it('audits every read and write of plans and service uses, without their text', async () => {
    const caseId = await activeCase();
    const plan = (await draft(w.counselorA, caseId)).json();
    await call(t, w.supervisorA, { method: 'GET', url: `/api/v1/plans/${plan.id}` });
    await act(w.counselorA, plan.id, 'submit');
    await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${caseId}/plans` });
    const use = (
      await call(t, w.counselorA, {
        method: 'POST',
        url: `/api/v1/cases/${caseId}/service-uses`,
        payload: { serviceCode: 'parent_child_class', startDate: '2026-06-03' },
      })
    ).json();
    await call(t, w.counselorA, { method: 'GET', url: `/api/v1/service-uses/${use.id}` });
    const rows = (await t.db.query(
      `SELECT actor_id, action, entity_type, district_id, summary FROM audit_events
        WHERE entity_id = ANY($1) AND entity_type <> 'case' ORDER BY id`,
      [[plan.id, caseId, use.id]],
    )) as { actor_id: string; action: string; entity_type: string; district_id: string }[];
    expect(rows.map((r) => [r.action, r.entity_type, r.actor_id])).toEqual([
      ['create', 'support_plan', w.counselorA.id],
      ['read', 'support_plan', w.supervisorA.id],
      ['transition', 'support_plan', w.counselorA.id],
      ['read', 'support_plans', w.counselorA.id],
      ['create', 'service_use', w.counselorA.id],
      ['read', 'service_use', w.counselorA.id],
    ]);
    expect(rows.every((r) => r.district_id === w.districtA)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('母の育児負担');
  });
});
