import { intakeBody, openCase } from '../support/cases';
import { call, createOrganization, createWorld, TestUser, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/worker';
import { StatsExportJobs } from '../../src/stats/exports.jobs';

interface Row {
  key: Record<string, unknown>;
  counts: number[];
  childCounts?: number[];
  medianHours?: (number | null)[];
  children?: Row[];
}
interface TableBody {
  rows: Row[];
  total: { counts: number[] } | null;
}

/**
 * The cases, referrals and safety-check reports, and exports end to end
 * through the real worker (embedded), over HTTP.
 *
 *  case  child  district  opened (JST)   what then
 *  P     p      A         2025-05-01     abuse: safety check done today (late); intake rejected today (closed, other)
 *  Q     q      B         2025-06-01     abuse: the child seen 10 h after receipt (within 48 h)
 *  R     r      A         2026-05-01     open
 *  S     q      B         2026-06-01     open, the same child as Q (counted once beside the cases)
 *  + today: an incoming abuse notification on R and an abuse consultation joining its open check (two
 *    notifications, one check not yet done), an outgoing referral from Q (sent), one from R (withdrawn)
 */
describe('cases, referrals and safety-check statistics; exports', () => {
  let t: TestApp;
  let w: World;
  let caseP: string;
  let caseQ: string;
  let caseR: string;
  let org: string;

  beforeAll(async () => {
    t = await startTestApp({ WORKER_MODE: 'embedded', RECONCILE_EVERY_MS: '1000' });
    w = await createWorld(t);
    const A = { household: { address: '岡山市中央一丁目1-1' } };
    const B = { household: { address: '岡山市北町2-2' } };
    const at = (occurredAt: string, consultationType = 'parenting') => ({
      consultation: { occurredAt, consultationType },
    });
    caseP = (await openCase(t, w.counselorA, { ...A, ...at('2025-05-01T10:00:00+09:00', 'abuse') })).case.id;
    const q = intakeBody({ ...B, ...at('2025-06-01T10:00:00+09:00', 'abuse') });
    caseQ = (await openCase(t, w.counselorB, q)).case.id;
    caseR = (await openCase(t, w.counselorA, { ...A, ...at('2026-05-01T10:00:00+09:00') })).case.id;
    const again = await call(t, w.counselorB, {
      method: 'POST',
      url: '/api/v1/intakes',
      payload: {
        ...q,
        consultation: { ...q.consultation, occurredAt: '2026-06-01T10:00:00+09:00', consultationType: 'parenting' },
        confirmNew: true,
      },
    });
    expect(again.statusCode).toBe(201);
    // Intake keeps one record per child, so a second episode of Q's child is written here as the record would be
    // once two persons are found to be one child.
    await t.db.query(`UPDATE cases SET subject_id = (SELECT subject_id FROM cases WHERE id = $1) WHERE id = $2`, [
      caseQ,
      again.json<{ case: { id: string } }>().case.id,
    ]);

    // P: the safety check is confirmed today, long after its 48 h; then the intake is rejected.
    const [taskP] = (await t.db.query(`SELECT id FROM tasks WHERE case_id = $1 AND kind = 'safety_check'`, [
      caseP,
    ])) as { id: string }[];
    const seen = (user: TestUser, taskId: string, seenAt: string) =>
      call(t, user, {
        method: 'POST',
        url: `/api/v1/tasks/${taskId}/complete`,
        payload: { outcome: { seenAt, place: '自宅', seenBy: '担当相談員', method: 'direct', result: 'safe' } },
      });
    expect((await seen(w.counselorA, taskP.id, new Date().toISOString())).statusCode).toBe(200);
    const rejected = await call(t, w.supervisorA, {
      method: 'POST',
      url: `/api/v1/cases/${caseP}/transitions`,
      payload: { action: 'reject', reason: '対象外' },
    });
    expect(rejected.statusCode).toBe(200);
    // Q: the child was seen 10 hours after receipt.
    const [taskQ] = (await t.db.query(`SELECT id FROM tasks WHERE case_id = $1 AND kind = 'safety_check'`, [
      caseQ,
    ])) as { id: string }[];
    expect((await seen(w.counselorB, taskQ.id, '2025-06-01T20:00:00+09:00')).statusCode).toBe(200);

    org = await createOrganization(t, w.admin, {
      name: '岡山県中央児童相談所',
      type: 'child_guidance_center',
      councilMember: true,
    });
    const referral = async (user: TestUser, extra: object) => {
      const res = await call(t, user, {
        method: 'POST',
        url: '/api/v1/referrals',
        payload: {
          direction: 'outgoing',
          kind: 'referral',
          organizationId: org,
          reason: '専門的な支援が必要',
          urgency: 'routine',
          legalBasis: 'council_member',
          sharedInformation: '経過の要約',
          ...extra,
        },
      });
      expect(res.statusCode).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const move = (user: TestUser, id: string, action: string) =>
      call(t, user, { method: 'POST', url: `/api/v1/referrals/${id}/transitions`, payload: { action } });
    await t.db.query(`UPDATE cases SET status = 'active' WHERE id = ANY($1)`, [[caseQ, caseR]]);
    const fromQ = await referral(w.supervisorB, { caseId: caseQ });
    expect((await move(w.supervisorB, fromQ, 'send')).statusCode).toBe(200);
    const fromR = await referral(w.supervisorA, { caseId: caseR });
    expect((await move(w.supervisorA, fromR, 'send')).statusCode).toBe(200);
    expect((await move(w.supervisorA, fromR, 'withdraw')).statusCode).toBe(200);
    await referral(w.staff, { caseId: caseR, direction: 'incoming', kind: 'notification', urgency: 'emergency' });
    // A second report on R while its check is open joins that check: two notifications, one check.
    const more = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/cases/${caseR}/consultations`,
      payload: {
        occurredAt: new Date().toISOString(),
        channel: 'phone',
        route: 'school',
        consultationType: 'abuse',
        abuseNotification: true,
        durationMinutes: 10,
        summary: '学校から再度の連絡。',
      },
    });
    expect(more.statusCode).toBe(201);
    const checksOnR = (await t.db.query(
      `SELECT jsonb_array_length(reports) AS n FROM tasks WHERE case_id = $1 AND kind = 'safety_check'`,
      [caseR],
    )) as { n: number }[];
    expect(checksOnR).toEqual([{ n: 2 }]);
  });
  afterAll(async () => t?.close());

  const get = (user: TestUser, path: string) => call(t, user, { method: 'GET', url: `/api/v1/stats/${path}` });
  const table = async (user: TestUser, path: string) => {
    const res = await get(user, path);
    expect(res.statusCode).toBe(200);
    return res.json<TableBody>();
  };
  type Figures = [string, unknown, ...unknown[]];
  const figures = (rows: Row[], value: 'counts' | 'childCounts' | 'medianHours' = 'counts'): Figures[] =>
    rows.map((r) => [Object.values(r.key).join('/'), r[value], ...(r.children ? [figures(r.children, value)] : [])]);

  it('cases: opened, closed by reason, open at the end; children counted once', async () => {
    const body = await table(w.staff, 'cases?fiscalYears=2025,2026');
    expect(body.total).toBeNull();
    const closedByReason = (n: number) =>
      ['resolved', 'transferred', 'moved_away', 'aged_out', 'no_contact', 'other'].map((reason) => [
        reason,
        reason === 'other' ? [0, n] : [0, 0],
      ]);
    expect(figures(body.rows)).toEqual([
      ['opened', [2, 2]],
      ['closed', [0, 1], closedByReason(1)],
      ['open_at_end', [2, 3]],
    ]);
    expect(body.rows[2].childCounts).toEqual([2, 2]);

    const byDistrict = await table(w.supervisorA, 'cases?fiscalYears=2026&by=district');
    expect(figures(byDistrict.rows).filter((r) => (r[0] as string).startsWith('open'))).toEqual([
      [`opened/${w.districtA}`, [1]],
      ['opened/', [0]],
      [`open_at_end/${w.districtA}`, [1]],
      ['open_at_end/', [0]],
    ]);
    const byRegistration = await table(w.staff, 'cases?fiscalYears=2026&by=protection');
    expect(byRegistration.rows[0].key).toEqual({ measure: 'opened', protection: 'none' });
    expect(byRegistration.rows[0].counts).toEqual([2]);
  });

  it('referrals: by outcome, drafts left out; supervisors see their districts', async () => {
    const fy = '2026';
    const body = await table(w.staff, `referrals?fiscalYears=${fy}&by=outcome`);
    expect(figures(body.rows)).toEqual([
      ['awaiting_response', [2]],
      ['unanswered_past_due', [0]],
      ['accepted', [0]],
      ['completed', [0]],
      ['declined', [0]],
      ['withdrawn', [1]],
    ]);
    const byKind = await table(w.supervisorB, `referrals?fiscalYears=${fy}&by=direction,kind`);
    expect(figures(byKind.rows).filter((r) => (r[1] as number[])[0] > 0)).toEqual([['outgoing/referral', [1]]]);
    const byOrg = await table(w.staff, `referrals?fiscalYears=${fy}&by=organizationType`);
    expect(byOrg.rows.find((r) => r.key.organizationType === 'child_guidance_center')?.counts).toEqual([3]);
    expect((await get(w.staff, `referrals?fiscalYears=${fy}&by=outcome&of=abuse`)).statusCode).toBe(400);
  });

  it('safety checks: within 48 h, late, not yet; median hours to confirmation', async () => {
    const body = await table(w.staff, 'safety-checks?fiscalYears=2025,2026');
    expect(figures(body.rows)).toEqual([
      [
        'received',
        [2, 2],
        [
          ['within_48h', [1, 0]],
          ['late', [1, 0]],
          ['not_yet', [0, 2]],
          ['cancelled', [0, 0]],
        ],
      ],
    ]);
    const inB = await table(w.supervisorB, 'safety-checks?fiscalYears=2025');
    expect(inB.rows[0].counts).toEqual([1]);
    expect(inB.rows[0].medianHours).toEqual([10]);
    expect(inB.rows[0].children![0].medianHours).toEqual([10]);
    expect(inB.rows[0].children![2].medianHours).toEqual([null]);
  });

  it('refuses counselors every report (403), and unknown dimensions (400)', async () => {
    for (const path of ['cases', 'referrals', 'safety-checks', 'consultations']) {
      expect((await get(w.counselorA, `${path}?fiscalYears=2025`)).statusCode).toBe(403);
    }
    expect((await get(w.staff, 'cases?fiscalYears=2025&by=channel')).statusCode).toBe(400);
    expect((await get(w.staff, 'safety-checks?fiscalYears=2025&by=outcome')).statusCode).toBe(400);
  });

  describe('exports', () => {
    const create = (user: TestUser, payload: object) =>
      call(t, user, { method: 'POST', url: '/api/v1/stats/exports', payload });
    const status = (user: TestUser, id: string) => call(t, user, { method: 'GET', url: `/api/v1/stats/exports/${id}` });
    const file = (user: TestUser, id: string) =>
      call(t, user, { method: 'GET', url: `/api/v1/stats/exports/${id}/file` });

    it('builds the CSV in the worker: BOM, CRLF, Japanese intact, period and time made in the first line', async () => {
      const res = await create(w.staff, {
        report: 'cases',
        fiscalYears: '2025,2026',
        by: 'district',
        format: 'csv',
      });
      expect(res.statusCode).toBe(202);
      const { id, status: queued } = res.json<{ id: string; status: string }>();
      expect(queued).toBe('queued');
      const done = await waitFor(async () => {
        const s = (await status(w.staff, id)).json<{ status: string; rowCount: number }>();
        return s.status === 'done' && s;
      });
      // 3 measures × (2 districts + unplaced), the 6 closure reasons beneath each "closed" row
      expect(done.rowCount).toBe(3 * 3 + 3 * 6);

      const got = await file(w.staff, id);
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(got.headers['content-disposition']).toBe('attachment; filename="cases-2025-2026.csv"');
      const bytes = got.rawPayload;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      expect(Buffer.from(text, 'utf8').equals(bytes.subarray(3))).toBe(true); // valid UTF-8 throughout
      const lines = text.split('\r\n');
      expect(lines.at(-1)).toBe(''); // every line ends CRLF
      expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/); // and no bare LF or CR
      expect(lines[0]).toMatch(
        /^ケース件数,期間: 令和7年度（2025年度）、令和8年度（2026年度）,作成日時: \d{4}-\d\d-\d\d \d\d:\d\d \(Asia\/Tokyo\)$/,
      );
      expect(lines[1]).toBe(
        '区分,地区,令和7年度（2025年度）,令和8年度（2026年度）,令和7年度（2025年度） 実人数,令和8年度（2026年度） 実人数',
      );
      expect(lines[2]).toBe('新規受付,district_a district,1,1,1,1');
      expect(lines).toContain('\u3000その他,地区未定,0,0,0,0');
      expect(lines).toContain('\u3000その他,district_a district,0,1,0,1');

      const audit = (await t.db.query(`SELECT action, summary FROM audit_events WHERE entity_id = $1 ORDER BY id`, [
        id,
      ])) as { action: string; summary: object }[];
      expect(audit).toEqual([
        {
          action: 'export',
          summary: { report: 'cases', format: 'csv', parameters: { fiscalYears: '2025,2026', by: 'district' } },
        },
        { action: 'read', summary: {} },
      ]);
    });

    it('is for its creator only: anyone else gets 404; counselors 403; bad input 400 and nothing queued', async () => {
      const { id } = (
        await create(w.supervisorA, { report: 'consultations', fiscalYears: '2025', by: 'channel', format: 'csv' })
      ).json<{ id: string }>();
      expect((await status(w.supervisorB, id)).statusCode).toBe(404);
      expect((await file(w.staff, id)).statusCode).toBe(404);
      expect((await create(w.counselorA, { report: 'cases', fiscalYears: '2025', format: 'csv' })).statusCode).toBe(
        403,
      );
      const before = (await t.db.query(`SELECT count(*)::int AS n FROM stats_exports`))[0].n as number;
      for (const body of [
        { report: 'nope', fiscalYears: '2025', format: 'csv' },
        { report: 'cases', fiscalYears: '2025', format: 'xlsx' },
        { report: 'cases', fiscalYears: '2025', format: 'csv', by: 'channel' },
        { report: 'cases', format: 'csv' },
        { report: 'consultations', fiscalYears: '2025', by: 'channel', format: 'csv', districtId: w.districtB },
      ]) {
        const res = await create(w.supervisorA, body);
        expect(res.statusCode).toBe(400);
      }
      expect((await t.db.query(`SELECT count(*)::int AS n FROM stats_exports`))[0].n).toBe(before);
      expect((await call(t, w.staff, { method: 'GET', url: '/api/v1/stats/exports/nope' })).statusCode).toBe(400);
    });

    it('says why when it fails, and the sweep deletes files after their days', async () => {
      // Supervisor A asks for district B (as if their supervision had ended since): the job refuses, with the reason.
      const [row] = (await t.db.query(
        `INSERT INTO stats_exports (report, parameters, format, status, created_by, expires_at)
         VALUES ('consultations', $1, 'csv', 'queued', $2, now() + interval '7 days') RETURNING id`,
        [JSON.stringify({ fiscalYears: '2025', by: 'channel', districtId: w.districtB }), w.supervisorA.id],
      )) as { id: string }[];
      await t.app.get(StatsExportJobs).build({ exportId: row.id });
      const failed = (await status(w.supervisorA, row.id)).json<{ status: string; error: string }>();
      expect(failed).toMatchObject({
        status: 'failed',
        error: 'districtId: districtId must be a district your statistics cover',
      });
      expect((await file(w.supervisorA, row.id)).statusCode).toBe(409);

      await t.db.query(`UPDATE stats_exports SET expires_at = now() - interval '1 second' WHERE id = $1`, [row.id]);
      expect((await status(w.supervisorA, row.id)).statusCode).toBe(404);
      await waitFor(async () => {
        const left = (await t.db.query(`SELECT 1 FROM stats_exports WHERE id = $1`, [row.id])) as unknown[];
        return left.length === 0;
      });
    });
  });
});
