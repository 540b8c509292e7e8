import { openCase } from '../support/cases';
import { call, createWorld, TestUser, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A small table written down by hand, recorded over the API and asked back
 * for each role (issue 15 item 5). Two fiscal years, two districts, a
 * confidential case, abuse with sub-counts, a consultation on each side of
 * each fiscal-year boundary (in Tokyo time: 00:00 JST on 1 April is still
 * 31 March in UTC).
 *
 *  #   when (JST)            district  channel  type              case flags
 *  -   2024-03-31 23:59:59   A         phone    health            (FY2023: outside)
 *  1   2024-06-10 10:00      A         phone    school_refusal
 *  2   2024-09-01 11:00      A         walk_in  abuse             DV
 *  3   2024-12-01 09:30      B         phone    abuse
 *  4   2025-03-31 23:59:59   B         phone    health            (last second of FY2024)
 *  5   2025-04-01 00:00:00   A         phone    developmental     (first second of FY2025)
 *  6   2025-07-07 14:00      A         hotline  abuse             confidential
 *  7   2025-10-10 10:00      B         walk_in  parenting
 *  8   2026-01-15 16:00      B         phone    abuse             DV
 *  9   2026-02-02 10:00      A         walk_in  school_refusal    (a second consultation of case #1)
 *  -   2026-04-01 00:00:00   B         phone    health            (FY2026: outside)
 */
const CHANNEL_TABLE = {
  // channel     FY2024 FY2025
  center: {
    walk_in: [1, 2],
    phone: [3, 2],
    hotline: [0, 1],
    total: [4, 5],
    abuse: [2, 2],
    dv: [1, 1],
  },
  supervisorA: {
    walk_in: [1, 1],
    phone: [1, 1],
    hotline: [0, 1],
    total: [2, 3],
    abuse: [1, 1],
    dv: [1, 0],
  },
  supervisorB: {
    walk_in: [0, 1],
    phone: [2, 1],
    hotline: [0, 0],
    total: [2, 2],
    abuse: [1, 1],
    dv: [0, 1],
  },
};

/** The same consultations by type, the national report's tree (whole center). */
const TYPE_TABLE: [string, number[], [string, number[]][]][] = [
  [
    'protection',
    [2, 2],
    [
      ['abuse', [2, 2]],
      ['protection_other', [0, 0]],
    ],
  ],
  ['health', [1, 0], []],
  [
    'disability',
    [0, 1],
    [
      ['physical_disability', [0, 0]],
      ['visual_hearing', [0, 0]],
      ['speech_language', [0, 0]],
      ['severe_multiple', [0, 0]],
      ['intellectual', [0, 0]],
      ['developmental', [0, 1]],
    ],
  ],
  [
    'delinquency',
    [0, 0],
    [
      ['predelinquency', [0, 0]],
      ['offense', [0, 0]],
    ],
  ],
  [
    'upbringing',
    [1, 2],
    [
      ['behavior', [0, 0]],
      ['school_refusal', [1, 1]],
      ['aptitude', [0, 0]],
      ['parenting', [0, 1]],
    ],
  ],
  ['other', [0, 0], []],
];

interface Row {
  key: Record<string, unknown>;
  label: Record<string, { ja: string; en: string }>;
  counts: number[];
  children?: Row[];
}
interface TableBody {
  periods: { key: string; label: string; westernLabel: string; from: string; to: string }[];
  by: string[];
  rows: Row[];
  total: { counts: number[] };
  of: { key: string; counts: number[] }[];
}

describe('statistics reproduce a hand-written table (issue 15)', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    const A = { household: { address: '岡山市中央一丁目1-1' } };
    const B = { household: { address: '岡山市北町2-2' } };
    const consultation = (occurredAt: string, channel: string, consultationType: string, extra: object = {}) => ({
      consultation: { occurredAt, channel, consultationType, ...extra },
    });
    const patch = async (supervisor: TestUser, id: string, body: object) => {
      const got = await call(t, supervisor, { method: 'GET', url: `/api/v1/cases/${id}` });
      const res = await call(t, supervisor, {
        method: 'PATCH',
        url: `/api/v1/cases/${id}`,
        payload: body,
        headers: { 'if-match': `"${got.json<{ version: number }>().version}"` },
      });
      expect(res.statusCode).toBe(200);
    };

    await openCase(t, w.counselorA, { ...A, ...consultation('2024-03-31T23:59:59+09:00', 'phone', 'health') });
    const c1 = await openCase(t, w.counselorA, {
      ...A,
      ...consultation('2024-06-10T10:00:00+09:00', 'phone', 'school_refusal'),
    });
    const c2 = await openCase(t, w.counselorA, {
      ...A,
      ...consultation('2024-09-01T11:00:00+09:00', 'walk_in', 'abuse', {
        abuseTypes: ['physical'],
        mainAbuser: 'biological_mother',
      }),
    });
    await patch(w.supervisorA, c2.case.id, { dvInvolved: true });
    await openCase(t, w.counselorB, {
      ...B,
      ...consultation('2024-12-01T09:30:00+09:00', 'phone', 'abuse', { abuseTypes: ['neglect'] }),
    });
    await openCase(t, w.counselorB, { ...B, ...consultation('2025-03-31T23:59:59+09:00', 'phone', 'health') });
    await openCase(t, w.counselorA, {
      ...A,
      ...consultation('2025-04-01T00:00:00+09:00', 'phone', 'developmental'),
    });
    const c6 = await openCase(t, w.counselorA, {
      ...A,
      ...consultation('2025-07-07T14:00:00+09:00', 'hotline', 'abuse', { abuseTypes: ['psychological'] }),
    });
    await patch(w.supervisorA, c6.case.id, { confidential: true });
    await openCase(t, w.counselorB, { ...B, ...consultation('2025-10-10T10:00:00+09:00', 'walk_in', 'parenting') });
    const c8 = await openCase(t, w.counselorB, {
      ...B,
      ...consultation('2026-01-15T16:00:00+09:00', 'phone', 'abuse', { abuseTypes: ['physical'] }),
    });
    await patch(w.supervisorB, c8.case.id, { dvInvolved: true });
    const second = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/cases/${c1.case.id}/consultations`,
      payload: {
        occurredAt: '2026-02-02T10:00:00+09:00',
        channel: 'walk_in',
        route: 'family',
        consultationType: 'school_refusal',
        durationMinutes: 20,
        summary: '再相談。',
      },
    });
    expect(second.statusCode).toBe(201);
    await openCase(t, w.counselorB, { ...B, ...consultation('2026-04-01T00:00:00+09:00', 'phone', 'health') });
  });
  afterAll(async () => t?.close());

  const stats = (user: TestUser, query: string) =>
    call(t, user, { method: 'GET', url: `/api/v1/stats/consultations?${query}` });

  /** The rows of a one-dimension answer as { code: counts }, zeros included. */
  const byCode = (body: TableBody) => Object.fromEntries(body.rows.map((r) => [Object.values(r.key)[0], r.counts]));

  for (const [who, expected] of [
    ['staff', CHANNEL_TABLE.center],
    ['admin', CHANNEL_TABLE.center],
    ['supervisorA', CHANNEL_TABLE.supervisorA],
    ['supervisorB', CHANNEL_TABLE.supervisorB],
  ] as const) {
    it(`gives ${who} the channel table of what they may see`, async () => {
      const res = await stats(w[who], 'fiscalYears=2024,2025&by=channel&of=abuse,dv');
      expect(res.statusCode).toBe(200);
      const body = res.json<TableBody>();
      expect(body.periods).toEqual([
        { key: '2024', label: '令和6年度', westernLabel: '2024年度', from: '2024-04-01', to: '2025-03-31' },
        { key: '2025', label: '令和7年度', westernLabel: '2025年度', from: '2025-04-01', to: '2026-03-31' },
      ]);
      expect(body.by).toEqual(['channel']);
      const { total, abuse, dv, ...channels } = expected;
      // Every channel, in code-list order, zeros included.
      expect(body.rows.map((r) => r.key.channel)).toEqual([
        'walk_in',
        'phone',
        'hotline',
        'letter',
        'chat',
        'web_form',
        'email',
        'home_visit',
        'outreach',
        'online',
      ]);
      expect(body.rows[0].label.channel).toEqual({ ja: '来所', en: 'Walk-in' });
      expect(byCode(body)).toEqual({
        letter: [0, 0],
        chat: [0, 0],
        web_form: [0, 0],
        email: [0, 0],
        home_visit: [0, 0],
        outreach: [0, 0],
        online: [0, 0],
        ...channels,
      });
      expect(body.total.counts).toEqual(total);
      expect(body.of).toEqual([
        { key: 'abuse', label: { ja: '内 児童虐待', en: 'of which abuse' }, counts: abuse },
        { key: 'dv', label: { ja: '内 DV', en: 'of which DV' }, counts: dv },
      ]);
    });
  }

  it('refuses counselors (403)', async () => {
    const res = await stats(w.counselorA, 'fiscalYears=2024,2025&by=channel');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden' });
  });

  it('gives the type table as the national tree, parents with their children beneath', async () => {
    const res = await stats(w.staff, 'fiscalYears=2024,2025&by=type');
    expect(res.statusCode).toBe(200);
    const body = res.json<TableBody>();
    expect(
      body.rows.map((r) => [r.key.type, r.counts, (r.children ?? []).map((child) => [child.key.type, child.counts])]),
    ).toEqual(TYPE_TABLE);
    expect(body.rows[0].label.type).toEqual({ ja: '養護相談', en: 'Protection' });
    expect(body.total.counts).toEqual([4, 5]);
  });

  it('counts by district, the two fiscal years side by side, and by district × channel', async () => {
    const res = await stats(w.staff, 'fiscalYears=2024,2025&by=district');
    const body = res.json<TableBody>();
    expect(body.rows.map((r) => [r.key.district, r.label.district.ja, r.counts])).toEqual([
      [w.districtA, 'district_a district', [2, 3]],
      [w.districtB, 'district_b district', [2, 2]],
      [null, '地区未定', [0, 0]],
    ]);
    const two = (await stats(w.supervisorB, 'fiscalYears=2025&by=district,channel')).json<TableBody>();
    expect(two.by).toEqual(['district', 'channel']);
    const nonZero = two.rows.filter((r) => r.counts[0] > 0).map((r) => [r.key.district, r.key.channel, r.counts]);
    expect(nonZero).toEqual([
      [w.districtB, 'walk_in', [1]],
      [w.districtB, 'phone', [1]],
    ]);
    // supervisor B's rows: their district and the unplaced, each with every channel
    expect(two.rows).toHaveLength(2 * 10);
  });

  it('takes a date range as one period, inclusive, in Tokyo days', async () => {
    const res = await stats(w.staff, 'from=2025-03-31&to=2025-04-01&by=channel');
    const body = res.json<TableBody>();
    expect(body.periods).toEqual([
      {
        key: '2025-03-31..2025-04-01',
        label: '令和7年3月31日〜令和7年4月1日',
        westernLabel: '2025-03-31〜2025-04-01',
        from: '2025-03-31',
        to: '2025-04-01',
      },
    ]);
    expect(byCode(body).phone).toEqual([2]);
    expect(body.total.counts).toEqual([2]);
  });

  it('filters by consultation type (a parent takes its children) and by district', async () => {
    const abuse = (
      await stats(w.staff, 'fiscalYears=2024,2025&by=channel&consultationType=protection')
    ).json<TableBody>();
    expect(abuse.total.counts).toEqual([2, 2]);
    const inA = (await stats(w.staff, `fiscalYears=2024,2025&by=channel&districtId=${w.districtA}`)).json<TableBody>();
    expect(inA.total.counts).toEqual([2, 3]);
  });

  it('counts abuse by main abuse type, the rest as not recorded', async () => {
    const body = (await stats(w.staff, 'fiscalYears=2024,2025&by=abuseType')).json<TableBody>();
    expect(body.rows.map((r) => [r.key.abuseType, r.counts])).toEqual([
      ['physical', [1, 1]],
      ['sexual', [0, 0]],
      ['psychological', [0, 1]],
      ['neglect', [1, 0]],
      [null, [2, 3]],
    ]);
  });

  it('refuses what the caller may not ask, with a 400 naming the field', async () => {
    const bad = async (query: string, field: string, user: TestUser = w.staff) => {
      const res = await stats(user, query);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<{ code: string; errors: { field: string }[] }>()).toMatchObject({
        code: 'validation_failed',
        errors: expect.arrayContaining([expect.objectContaining({ field })]) as unknown,
      });
    };
    await bad('by=channel', 'fiscalYears');
    await bad('fiscalYears=2024&from=2024-04-01&to=2024-05-01&by=channel', 'fiscalYears');
    await bad('fiscalYears=1988&by=channel', 'fiscalYears');
    await bad('fiscalYears=2024,2024&by=channel', 'fiscalYears');
    await bad('fiscalYears=2021,2022,2023,2024,2025,2026,2027,2028,2029,2030,2031&by=channel', 'fiscalYears');
    await bad('from=2024-02-30&to=2024-03-01&by=channel', 'from');
    await bad('from=2024-05-01&to=2024-04-01&by=channel', 'to');
    await bad('fiscalYears=2024&by=color', 'by');
    await bad('fiscalYears=2024&by=channel,channel', 'by');
    await bad('fiscalYears=2024&by=channel,type,route', 'by');
    await bad('fiscalYears=2024&by=channel&of=abuse,nonsense', 'of');
    await bad('fiscalYears=2024&by=channel&consultationType=cooking', 'consultationType');
    await bad('fiscalYears=2024&by=channel&districtId=not-a-uuid', 'districtId');
    // a district supervisor A does not oversee: 400, never a silently empty table
    await bad(`fiscalYears=2024&by=channel&districtId=${w.districtB}`, 'districtId', w.supervisorA);
    const unknown = await stats(w.staff, 'fiscalYears=2024&by=channel&color=red');
    expect(unknown.statusCode).toBe(400);
  });

  it('describes every statistics path in the OpenAPI document with its typed answer', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs-json' })).json<{
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
      >;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    }>();
    const answer = (path: string, method: string, status: string) =>
      doc.paths[`/api/v1/stats/${path}`]?.[method]?.responses[status]?.content?.['application/json']?.schema;
    for (const path of ['consultations', 'cases', 'referrals', 'safety-checks']) {
      expect(answer(path, 'get', '200')).toEqual({ $ref: '#/components/schemas/StatsTableDto' });
    }
    expect(answer('exports', 'post', '202')).toEqual({ $ref: '#/components/schemas/StatsExportDto' });
    expect(answer('exports/{id}', 'get', '200')).toEqual({ $ref: '#/components/schemas/StatsExportDto' });
    expect(Object.keys(doc.components.schemas.StatsTableDto.properties)).toEqual(
      expect.arrayContaining(['periods', 'by', 'rows', 'total', 'of']),
    );
  });

  it('audits every statistics query with its parameters', async () => {
    await stats(w.staff, 'fiscalYears=2025&by=route');
    const rows = (await t.db.query(
      `SELECT action, entity_type, summary FROM audit_events WHERE actor_id = $1 AND entity_type = 'statistics'
        ORDER BY id DESC LIMIT 1`,
      [w.staff.id],
    )) as { action: string; entity_type: string; summary: object }[];
    expect(rows[0]).toEqual({
      action: 'read',
      entity_type: 'statistics',
      summary: { report: 'consultations', parameters: { fiscalYears: '2025', by: 'route' } },
    });
  });
});
