import { OutboxRelay } from '../../src/core/queue/outbox';
import { openCase } from '../support/cases';
import { call, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Issue 12, part 4: the operator's Prometheus endpoint, behind its own token. */
const TOKEN = 'metrics-token-metrics-token-0123';

/** The value of one series in the exposition text, or undefined when it is not there. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const has = Object.entries(labels).every(([k, v]) => (match[3] ?? '').includes(`${k}="${v}"`));
    if (has) return Number(match[4]);
  }
  return undefined;
}

describe('/metrics', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: TOKEN });
    w = await createWorld(t);
  });
  afterAll(() => t.close());

  const scrape = (authorization?: string) =>
    t.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

  it('answers only with the token: none, a wrong one or a user login is a 401 problem', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Bearer ${TOKEN}x`, TOKEN]) {
      const res = await scrape(authorization);
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'unauthenticated' });
      expect(res.body).not.toContain('tsunagu_');
    }
    // A user's login is no scrape token, not even an admin's.
    expect(w.admin.token).toEqual(expect.any(String));
    const asAdmin = await scrape(`Bearer ${w.admin.token}`);
    expect(asAdmin.statusCode).toBe(401);
  });

  it('shows HTTP counts and latency by route pattern, queue depths, the outbox and notifications', async () => {
    // The relay runs in every process; stopped here, so the intake's jobs stay in the outbox to be counted.
    await t.app.get(OutboxRelay).beforeApplicationShutdown();
    const opened = await openCase(t, w.counselorA, {
      consultation: { consultationType: 'abuse', abuseTypes: ['neglect'], abuseNotification: true },
    });
    await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${opened.case.id}` });
    await call(t, w.counselorA, { method: 'GET', url: '/api/v1/cases/not-a-uuid' });

    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;

    // By pattern, never by URL: a case id would make a series per child.
    expect(
      series(text, 'http_request_duration_seconds_count', { route: '/api/v1/cases/:id', status_code: '200' }),
    ).toBe(1);
    expect(
      series(text, 'http_request_duration_seconds_count', { route: '/api/v1/cases/:id', status_code: '400' }),
    ).toBe(1);
    expect(series(text, 'http_request_duration_seconds_bucket', { route: '/api/v1/intakes', le: '+Inf' })).toBe(1);
    expect(text).not.toContain(opened.case.id);

    for (const queue of ['tasks', 'cases', 'referrals', 'notifications', 'reports', 'maintenance']) {
      for (const state of ['waiting', 'delayed', 'active', 'failed']) {
        expect(series(text, 'tsunagu_queue_jobs', { queue, state })).toEqual(expect.any(Number));
      }
    }
    // The intake wrote the safety check's reminder and escalation jobs to the outbox.
    const [unsent] = (await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`)) as {
      n: number;
    }[];
    expect(unsent.n).toBeGreaterThan(0);
    expect(series(text, 'tsunagu_outbox_backlog')).toBe(unsent.n);
    expect(series(text, 'tsunagu_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
    // The district's supervisor heard of the abuse report.
    expect(series(text, 'tsunagu_notifications_delivered_total', { kind: 'abuse_reported' })).toBe(1);
    expect(series(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts open and overdue safety checks, and those without an active assignee', async () => {
    const counts = async () => {
      const text = (await scrape(`Bearer ${TOKEN}`)).body;
      return {
        open: series(text, 'tsunagu_safety_checks_open'),
        overdue: series(text, 'tsunagu_safety_checks_overdue'),
        unassigned: series(text, 'tsunagu_safety_checks_without_active_assignee'),
      };
    };
    const before = await counts();
    expect(before.open).toBeGreaterThanOrEqual(1);

    await openCase(t, w.counselorA, { consultation: { consultationType: 'abuse', abuseTypes: ['physical'] } });
    const [task] = (await t.db.query(
      `SELECT id, assignee_id FROM tasks WHERE kind = 'safety_check' AND status = 'open' ORDER BY created_at DESC LIMIT 1`,
    )) as { id: string; assignee_id: string }[];
    await t.db.query(`UPDATE tasks SET due_at = now() - interval '1 hour' WHERE id = $1`, [task.id]);
    await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [task.assignee_id]);

    const after = await counts();
    expect(after.open).toBe(before.open! + 1);
    expect(after.overdue).toBe(before.overdue! + 1);
    expect(after.unassigned).toBeGreaterThanOrEqual(1);
    await t.db.query(`UPDATE users SET active = true WHERE id = $1`, [task.assignee_id]);
  });
});

describe('/metrics and /docs switched off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ API_DOCS: 'false' });
  });
  afterAll(() => t.close());

  it('answers 404 without METRICS_TOKEN, and serves no /docs with API_DOCS=false', async () => {
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer x' } });
    expect(metrics.statusCode).toBe(404);
    expect(metrics.json()).toMatchObject({ code: 'not_found' });
    for (const url of ['/docs', '/docs-json']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    }
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});
