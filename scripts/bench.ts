import autocannon from 'autocannon';
import { ChildProcess, execSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { Pool } from 'undici';

/**
 * `npm run bench`: the API budgets of quality.md ("Performance budgets") on the data set of `npm run seed:scale`,
 * each operation measured against the built service (`dist/src/main.js`, worker embedded, as deployed) and against
 * a bare baseline (scripts/bench-baseline.js: Fastify + `pg` replaying the very SQL the service sent for the same
 * request, captured first by scripts/bench-capture.js), alternating service and baseline operation by operation in
 * the same run:
 *
 * - latency under a steady offered load: an open loop (undici) sends at a fixed rate whatever the answers, and
 *   each latency counts from the instant the request was due, so a stall is not hidden (no coordinated omission);
 * - throughput saturated: autocannon with a fixed number of connections for a few seconds.
 *
 * What the benchmark adds (intakes, audit entries, notifications, exports) is deleted (and the tables vacuumed) after each operation
 * and at the end, so the plans it measures stay those of the seeded data. Writes the "API" section of
 * BENCHMARKS.md and exits 1 when a budget or ratio is missed (2 when the run itself fails). Not part of npm test.
 *
 *   SCALE_DATABASE_URL  the seeded database (default .../tsunagu_scale); REDIS_URL (default redis://127.0.0.1:6379)
 *   BENCH_SECONDS (8) per fixed-rate measurement, BENCH_SATURATED_SECONDS (5), BENCH_WARMUP_SECONDS (2)
 *   BENCH_CONNECTIONS (16) for the saturated runs, BENCH_READ_RATE (100), BENCH_INTAKE_RATE (50)
 *   BENCH_ONLY  comma-separated operation names to run (default: all); BENCH_SKIP_MEMORY=true skips the 60 s wait
 *   BENCH_NO_REPORT=true  print only, leave BENCHMARKS.md alone
 */

const SCALE_URL = process.env.SCALE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tsunagu_scale';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = num('BENCH_SECONDS', 8);
const SATURATED_SECONDS = num('BENCH_SATURATED_SECONDS', 5);
const WARMUP_SECONDS = num('BENCH_WARMUP_SECONDS', 2);
const CONNECTIONS = num('BENCH_CONNECTIONS', 16);
const READ_RATE = num('BENCH_READ_RATE', 100);
const INTAKE_RATE = num('BENCH_INTAKE_RATE', 50);
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const SKIP_MEMORY = process.env.BENCH_SKIP_MEMORY === 'true';
const NO_REPORT = process.env.BENCH_NO_REPORT === 'true';
const VARIANTS = 20;
const PASSWORD = process.env.SCALE_PASSWORD ?? 'scale-bench-password';
const SERVICE_PORT = 3980 + (process.pid % 5);
const BASELINE_PORT = 3990 + (process.pid % 5);

const BUDGET_READ_P95 = 25;
const BUDGET_INTAKE_P95 = 40;
const BUDGET_INTAKE_RATE = 300;
const BUDGET_STATS_MS = 500;
const BUDGET_RSS_MIB = 200;
const RATIO_P95 = 1.3;
const RATIO_THROUGHPUT = 0.75;

const ROOT = join(__dirname, '..');
const REPORT = join(ROOT, 'BENCHMARKS.md');
const BEGIN = '<!-- bench:api -->';
const END = '<!-- /bench:api -->';

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) <= 0) throw new Error(`${name} must be a positive number`);
  return Number(raw);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- The operations ---------------------------------------------------------------------------------------------

type Actor = 'counselor' | 'supervisor';
interface Req {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}
interface Operation {
  name: string;
  actor: Actor;
  title: string;
  kind: 'read' | 'intake' | 'stats';
  variants: Req[];
  /** A fresh request for each call (the intake: a new child each time); else the variants in turn. */
  fresh?: () => Req & { token: string };
}

interface Context {
  counselorId: string;
  supervisorId: string;
  counselorDistrict: string;
  supervisorDistrict: string;
  counselorCases: string[];
  supervisorCases: string[];
  fiscalYear: number;
}

const KANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';
let tokens = 0;
/** 6 katakana, unique per intake this run: the subject's given name, so every intake is a new child. */
function nextToken(): string {
  let n = tokens++;
  let s = '';
  for (let i = 0; i < 6; i++) {
    s = KANA[n % KANA.length] + s;
    n = Math.floor(n / KANA.length);
  }
  return s;
}

function intakeRequest(): Req & { token: string } {
  const token = nextToken();
  return {
    method: 'POST',
    path: '/api/v1/intakes',
    token,
    body: JSON.stringify({
      subject: {
        kind: 'child',
        familyName: '弁知',
        givenName: token,
        familyNameKana: 'ベンチ',
        givenNameKana: token,
        birthDate: '2018-05-05',
        sex: 'female',
      },
      household: {
        address: '北町1丁目2-3',
        members: [
          {
            familyName: '弁知',
            givenName: '母',
            familyNameKana: 'ベンチ',
            givenNameKana: 'ハハ',
            relationship: 'mother',
          },
        ],
      },
      consultation: {
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        channel: 'phone',
        route: 'neighbor',
        consultationType: 'abuse',
        abuseTypes: ['neglect'],
        mainAbuser: 'biological_mother',
        abuseNotification: true,
        durationMinutes: 20,
        summary: 'ベンチマークの受付：近隣から泣き声の通報',
      },
    }),
  };
}

function operations(c: Context): Operation[] {
  const ops: Operation[] = [];
  const get = (path: string): Req => ({ method: 'GET', path: `/api/v1${path}` });
  const statuses = ['active', 'monitoring', 'assessment', 'intake'];
  for (const actor of ['counselor', 'supervisor'] as Actor[]) {
    const district = actor === 'counselor' ? c.counselorDistrict : c.supervisorDistrict;
    const cases = actor === 'counselor' ? c.counselorCases : c.supervisorCases;
    const add = (name: string, title: string, variants: Req[]) =>
      ops.push({ name: `${name}.${actor}`, actor, title, kind: 'read', variants });
    add(
      'case_list',
      'case list, filtered (status, district), first page',
      statuses.map((s) => get(`/cases?status=${s}&districtId=${district}`)),
    );
    add(
      'case_list_q_kana',
      'case list, `q` by kana (surname)',
      ['タナカ', 'サトウ', 'スズキ', 'ヤマモト', 'ナカムラ', 'コバヤシ'].map((q) =>
        get(`/cases?q=${encodeURIComponent(q)}`),
      ),
    );
    add(
      'case_list_q_given',
      'case list, `q` by given name (kanji)',
      ['花子', '太郎', '陽翔', '美咲', '結菜', '拓海'].map((q) => get(`/cases?q=${encodeURIComponent(q)}`)),
    );
    add(
      'case_list_q_school',
      'case list, `q` by school',
      ['中央小学校', '北中学校', 'さくら保育園', '桜ヶ丘小学校'].map((q) => get(`/cases?q=${encodeURIComponent(q)}`)),
    );
    add(
      'case_detail',
      'case detail (household, last 20 consultations)',
      cases.map((id) => get(`/cases/${id}`)),
    );
    add(
      'case_record',
      'whole record (GET /cases/{id}/record)',
      cases.map((id) => get(`/cases/${id}/record`)),
    );
    add(
      'consultations',
      'consultations of a case, first page',
      cases.map((id) => get(`/cases/${id}/consultations`)),
    );
    add(
      'tasks',
      actor === 'counselor' ? 'my tasks (open, overdue first)' : 'open tasks of the districts (overdue first)',
      [get(actor === 'counselor' ? '/tasks?assigneeId=me&status=open' : '/tasks?status=open')],
    );
    add('notifications', 'notifications, first page', [get('/notifications')]);
    ops.push({
      name: `intake.${actor}`,
      actor,
      title: 'intake (new case + consultation + 48-hour task + outbox)',
      kind: 'intake',
      variants: [],
      fresh: intakeRequest,
    });
  }
  ops.push({
    name: 'stats.supervisor',
    actor: 'supervisor',
    title: `statistics: fiscal year ${c.fiscalYear}, type × district`,
    kind: 'stats',
    variants: [get(`/stats/consultations?fiscalYears=${c.fiscalYear}&by=type,district`)],
  });
  return ONLY.length === 0 ? ops : ops.filter((o) => ONLY.some((n) => o.name === n || o.name.startsWith(`${n}.`)));
}

async function context(db: Client): Promise<Context> {
  const user = async (username: string) => {
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM users WHERE username = $1`, [username]);
    if (!rows[0]) throw new Error(`${username} not found: run npm run seed:scale first`);
    return rows[0].id;
  };
  const counselorId = await user('scale_counselor_01');
  const supervisorId = await user('scale_supervisor_01');
  const district = async (table: string, id: string) =>
    (
      await db.query<{ d: string }>(
        `SELECT district_id AS d FROM ${table} WHERE user_id = $1 AND valid_to IS NULL LIMIT 1`,
        [id],
      )
    ).rows[0].d;
  const counselorDistrict = await district('district_members', counselorId);
  const supervisorDistrict = await district('district_supervisors', supervisorId);
  const pick = async (where: string, params: unknown[]) =>
    (
      await db.query<{ id: string }>(
        `SELECT id FROM cases WHERE ${where} AND status <> 'closed' ORDER BY md5(id::text) LIMIT ${VARIANTS}`,
        params,
      )
    ).rows.map((r) => r.id);
  const { rows } = await db.query<{ fy: number }>(`SELECT max(fiscal_year) - 1 AS fy FROM cases`);
  return {
    counselorId,
    supervisorId,
    counselorDistrict,
    supervisorDistrict,
    counselorCases: await pick(`(primary_counselor_id = $1 OR (district_id = $2 AND NOT confidential))`, [
      counselorId,
      counselorDistrict,
    ]),
    supervisorCases: await pick(`district_id = $1`, [supervisorDistrict]),
    fiscalYear: rows[0].fy,
  };
}

// --- Processes --------------------------------------------------------------------------------------------------

interface Server {
  name: 'service' | 'baseline';
  origin: string;
  child: ChildProcess;
}

const children = new Set<ChildProcess>();

function serviceEnv(redisPrefix: string, secrets: { jwt: string; anchor: string }): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DATABASE_URL: SCALE_URL,
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    JWT_SECRET: secrets.jwt,
    AUDIT_ANCHOR_KEY: secrets.anchor,
    PORT: String(SERVICE_PORT),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    WORKER_MODE: 'embedded',
    MIGRATIONS_RUN: 'true',
    // The heap limits the image runs with, so that memory is measured as deployed.
    NODE_OPTIONS: deployedNodeOptions(),
    ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}),
  };
}

/** The Dockerfile's `ENV NODE_OPTIONS="…"` (the V8 heap limits of the deployed service). */
function deployedNodeOptions(): string {
  const line = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  if (!line) throw new Error('Dockerfile: no ENV NODE_OPTIONS="..." line');
  return line[1];
}

async function waitFor(url: string, timeoutMs: number, child: ChildProcess, what: string): Promise<void> {
  const limit = Date.now() + timeoutMs;
  while (Date.now() < limit) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
}

function startChild(args: string[], env: NodeJS.ProcessEnv, label: string): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[${label}] ${d.toString()}`));
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function startService(env: NodeJS.ProcessEnv, capture?: string): Promise<Server> {
  const args = capture ? ['-r', './scripts/bench-capture.js', 'dist/src/main.js'] : ['dist/src/main.js'];
  const child = startChild(args, capture ? { ...env, BENCH_CAPTURE_FILE: capture } : env, 'service');
  const origin = `http://127.0.0.1:${SERVICE_PORT}`;
  await waitFor(`${origin}/health/ready`, 120_000, child, 'the service');
  return { name: 'service', origin, child };
}

async function startBaseline(opsFile: string): Promise<Server> {
  const child = startChild(
    ['scripts/bench-baseline.js'],
    {
      PATH: process.env.PATH,
      BASELINE_PORT: String(BASELINE_PORT),
      BASELINE_DATABASE_URL: SCALE_URL,
      BASELINE_OPS: opsFile,
      BASELINE_POOL: process.env.DATABASE_POOL_SIZE ?? '20',
    },
    'baseline',
  );
  const origin = `http://127.0.0.1:${BASELINE_PORT}`;
  await waitFor(`${origin}/health`, 30_000, child, 'the baseline');
  return { name: 'baseline', origin, child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** CPU time (user + system) of a process so far, in ms, from /proc (Linux). */
function cpuMs(pid: number | undefined): number {
  if (!pid || !existsSync(`/proc/${pid}/stat`)) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
  return ((Number(fields[11]) + Number(fields[12])) / ticks) * 1000;
}
function rssMiB(pid: number | undefined): number {
  if (!pid || !existsSync(`/proc/${pid}/status`)) return NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

// --- Tokens, capture ---------------------------------------------------------------------------------------------

async function login(origin: string, username: string): Promise<string> {
  const r = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!r.ok) throw new Error(`login of ${username} failed: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { accessToken: string }).accessToken;
}

async function loginBoth(origin: string): Promise<Record<Actor, string>> {
  return {
    counselor: await login(origin, 'scale_counselor_01'),
    supervisor: await login(origin, 'scale_supervisor_01'),
  };
}

interface Captured {
  statements: { text: string; values: unknown[]; rows: Record<string, unknown>[] }[];
  token?: string;
  status: number;
}

/** One request of each variant of each operation, marked, through the capturing service: the baseline's SQL. */
async function capture(ops: Operation[], origin: string, auth: Record<Actor, string>, file: string) {
  const plan: { id: string; op: Operation; req: Req & { token?: string } }[] = [];
  for (const op of ops) {
    const reqs = op.fresh ? Array.from({ length: VARIANTS }, () => op.fresh!()) : op.variants;
    reqs.forEach((req, k) => plan.push({ id: `${op.name}#${k}`, op, req }));
  }
  const statuses = new Map<string, number>();
  for (const p of plan) {
    const r = await fetch(origin + p.req.path, {
      method: p.req.method,
      headers: {
        authorization: `Bearer ${auth[p.op.actor]}`,
        'x-bench-capture': p.id,
        ...(p.req.body ? { 'content-type': 'application/json' } : {}),
      },
      body: p.req.body,
    });
    await r.arrayBuffer();
    if (r.status >= 300) throw new Error(`capturing ${p.id} (${p.req.method} ${p.req.path}) answered ${r.status}`);
    statuses.set(p.id, r.status);
  }
  await sleep(500);
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(
      (l) => JSON.parse(l) as { id: string; order: number; text: string; values: unknown[]; rows: []; error?: string },
    );
  const result: Record<string, Captured[]> = {};
  for (const p of plan) {
    const statements = lines
      .filter((l) => l.id === p.id)
      .sort((a, b) => a.order - b.order)
      .map(({ text, values, rows }) => ({ text, values, rows }));
    (result[p.op.name] ??= []).push({ statements, token: p.req.token, status: statuses.get(p.id)! });
  }
  return result;
}

// --- Load ---------------------------------------------------------------------------------------------------------

interface Run {
  requests: number;
  ok: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Requests answered per second (2xx only). */
  rate: number;
  cpuPerRequestMs: number;
  /** Saturated runs of the service: its PostgreSQL backends busy, and waiting on a lock, on average. */
  backends?: { active: number; waiting: number };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function requestFor(server: Server, op: Operation, auth: Record<Actor, string>, n: number) {
  const req = op.fresh ? op.fresh() : op.variants[n % op.variants.length];
  if (server.name === 'baseline') {
    return {
      method: req.method,
      path: `/ops/${op.name}`,
      headers: req.body ? { 'content-type': 'application/json' } : {},
      body: req.body,
    };
  }
  return {
    method: req.method,
    path: req.path,
    headers: { authorization: `Bearer ${auth[op.actor]}`, ...(req.body ? { 'content-type': 'application/json' } : {}) },
    body: req.body,
  };
}

/** Open loop: request i is sent at start + i / rate whatever happened before; its latency counts from then. */
async function openLoop(server: Server, op: Operation, auth: Record<Actor, string>, rate: number, seconds: number) {
  const pool = new Pool(server.origin, { connections: 256, pipelining: 1 });
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  const pending: Promise<void>[] = [];
  const cpu0 = cpuMs(server.child.pid);
  const start = performance.now() + 20;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0.5) await sleep(wait);
    const r = requestFor(server, op, auth, i);
    pending.push(
      pool
        .request({ origin: server.origin, method: r.method, path: r.path, headers: r.headers, body: r.body })
        .then(async (res) => {
          await res.body.dump();
          latencies.push(performance.now() - due);
          if (res.statusCode < 300) ok++;
          else errors++;
        })
        .catch(() => {
          latencies.push(performance.now() - due);
          errors++;
        }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  const cpu = cpuMs(server.child.pid) - cpu0;
  await pool.close();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requests: total,
    ok,
    errors,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    rate: ok / elapsed,
    cpuPerRequestMs: cpu / total,
  } satisfies Run;
}

/**
 * While a saturated run lasts: how many of the service's PostgreSQL backends are busy, and how many of them wait
 * on a lock (sampled every 100 ms from pg_stat_activity), to tell a queue on one row from a busy CPU.
 */
function lockSampler(db: Client) {
  let samples = 0;
  let waiting = 0;
  let active = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      const { rows } = await db.query<{ active: number; waiting: number }>(
        `SELECT count(*) FILTER (WHERE state <> 'idle')::int AS active,
                count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS waiting
           FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tsunagu'`,
      );
      samples++;
      active += rows[0].active;
      waiting += rows[0].waiting;
      await sleep(100);
    }
  })();
  return async () => {
    running = false;
    await done;
    return { active: active / Math.max(1, samples), waiting: waiting / Math.max(1, samples) };
  };
}

/** Closed loop, saturated: autocannon keeps CONNECTIONS requests in flight for the given seconds. */
async function saturated(
  server: Server,
  op: Operation,
  auth: Record<Actor, string>,
  seconds: number,
  db: Client,
): Promise<Run> {
  let n = 0;
  const sampling = server.name === 'service' ? lockSampler(db) : undefined;
  const latencies: number[] = [];
  const cpu0 = cpuMs(server.child.pid);
  const instance = autocannon({
    url: server.origin,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          const r = requestFor(server, op, auth, n++);
          return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, time: number) => latencies.push(time));
  const result = await instance;
  const cpu = cpuMs(server.child.pid) - cpu0;
  const backends = sampling ? await sampling() : undefined;
  const sorted = latencies.sort((a, b) => a - b);
  const ok = result['2xx'];
  return {
    requests: result.requests.total,
    ok,
    errors: result.non2xx + result.errors + result.timeouts,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    rate: ok / (result.duration || seconds),
    cpuPerRequestMs: cpu / Math.max(1, result.requests.total),
    backends,
  };
}

/** Sequential requests (one at a time): for the statistics, whose budget is a latency, not a rate. */
async function sequential(server: Server, op: Operation, auth: Record<Actor, string>, count: number): Promise<Run> {
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  const cpu0 = cpuMs(server.child.pid);
  for (let i = 0; i < count; i++) {
    const r = requestFor(server, op, auth, i);
    const t = performance.now();
    const res = await fetch(server.origin + r.path, { method: r.method, headers: r.headers, body: r.body });
    await res.arrayBuffer();
    latencies.push(performance.now() - t);
    if (res.status < 300) ok++;
    else errors++;
  }
  const cpu = cpuMs(server.child.pid) - cpu0;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requests: count,
    ok,
    errors,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    rate: (ok / latencies.reduce((a, b) => a + b, 0)) * 1000,
    cpuPerRequestMs: cpu / count,
  };
}

// --- Reset ---------------------------------------------------------------------------------------------------------

/** The run's Redis keys (queues, rate limits), all under its own prefix. */
async function clearRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

interface Watermark {
  at: string;
  audit: string;
  caseEvents: string;
  outbox: string;
  checkpoints: string;
}

async function watermark(db: Client): Promise<Watermark> {
  const { rows } = await db.query<Watermark>(
    `SELECT clock_timestamp()::text AS at,
            (SELECT coalesce(max(id), 0) FROM audit_events)::text AS audit,
            (SELECT coalesce(max(id), 0) FROM case_events)::text AS "caseEvents",
            (SELECT coalesce(max(id), 0) FROM outbox)::text AS outbox,
            (SELECT coalesce(max(id), 0) FROM audit_checkpoints)::text AS checkpoints`,
  );
  return rows[0];
}

/**
 * Deletes what the benchmark added since the watermark. The append-only triggers of the audit log would refuse,
 * so this session runs with triggers off (session_replication_role, a superuser's setting): a benchmark
 * database's audit chain is not evidence of anything.
 */
async function reset(db: Client, w: Watermark): Promise<void> {
  await db.query('BEGIN');
  try {
    await db.query(`SET LOCAL session_replication_role = replica`);
    const at = w.at;
    await db.query(`DELETE FROM audit_checkpoints WHERE id > $1`, [w.checkpoints]);
    await db.query(`DELETE FROM audit_events WHERE id > $1`, [w.audit]);
    await db.query(`DELETE FROM notifications WHERE created_at > $1`, [at]);
    await db.query(`DELETE FROM outbox WHERE id > $1`, [w.outbox]);
    await db.query(`DELETE FROM tasks WHERE created_at > $1`, [at]);
    await db.query(`DELETE FROM consultations WHERE created_at > $1`, [at]);
    await db.query(`DELETE FROM case_events WHERE id > $1`, [w.caseEvents]);
    await db.query(`DELETE FROM cases WHERE created_at > $1`, [at]);
    await db.query(
      `DELETE FROM household_members WHERE person_id IN (SELECT id FROM persons WHERE created_at > $1)
          OR household_id IN (SELECT id FROM households WHERE created_at > $1)`,
      [at],
    );
    await db.query(`DELETE FROM household_addresses WHERE recorded_at > $1`, [at]);
    await db.query(`DELETE FROM households WHERE created_at > $1`, [at]);
    await db.query(`DELETE FROM persons WHERE created_at > $1`, [at]);
    await db.query(`DELETE FROM idempotency_keys WHERE created_at > $1`, [at]);
    await db.query(`DELETE FROM stats_exports WHERE created_at > $1`, [at]);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
  // The deleted rows stay as dead tuples until a vacuum (autovacuum waits for 20 % of a table): the trigram scans
  // of the searches measured next would recheck them, and the planner would plan on a run's leftovers.
  await db.query(`VACUUM (ANALYZE) ${RESET_TABLES.join(', ')}`);
}

/** What reset deletes from. */
const RESET_TABLES = [
  'audit_checkpoints',
  'audit_events',
  'notifications',
  'outbox',
  'tasks',
  'consultations',
  'case_events',
  'cases',
  'household_members',
  'household_addresses',
  'households',
  'persons',
  'idempotency_keys',
  'stats_exports',
];

// --- The run -------------------------------------------------------------------------------------------------------

interface Result {
  op: Operation;
  fixed?: { rate: number; service: Run; baseline: Run };
  sat?: { service: Run; baseline: Run };
  seq?: { service: Run; baseline: Run };
  verdicts: { what: string; met: boolean }[];
}

interface ExportRun {
  seconds: number[];
  ok: number;
}

async function measureExport(origin: string, token: string, fiscalYear: number, count: number): Promise<ExportRun> {
  const seconds: number[] = [];
  let ok = 0;
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const r = await fetch(`${origin}/api/v1/stats/exports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        report: 'consultations',
        format: 'csv',
        fiscalYears: String(fiscalYear),
        by: 'type,district',
      }),
    });
    if (r.status >= 300) throw new Error(`export: ${r.status} ${await r.text()}`);
    const { id } = (await r.json()) as { id: string };
    for (;;) {
      await sleep(100);
      const s = await fetch(`${origin}/api/v1/stats/exports/${id}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await s.json()) as { status: string };
      if (body.status === 'done') {
        const f = await fetch(`${origin}/api/v1/stats/exports/${id}/file`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await f.arrayBuffer();
        if (f.ok) ok++;
        break;
      }
      if (body.status === 'failed' || performance.now() - t > 60_000) break;
    }
    seconds.push((performance.now() - t) / 1000);
  }
  return { seconds, ok };
}

function loadavg(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}

async function main(): Promise<number> {
  const started = new Date();
  const build = spawnSync(process.execPath, ['scripts/build-if-needed.js'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  const db = new Client({ connectionString: SCALE_URL });
  await db.connect();
  const tmp = mkdtempSync(join(os.tmpdir(), 'tsunagu-bench-'));
  const runId = randomBytes(4).toString('hex');
  const env = serviceEnv(`bench${runId}`, {
    jwt: randomBytes(32).toString('hex'),
    anchor: randomBytes(32).toString('hex'),
  });
  let service: Server | undefined;
  let baseline: Server | undefined;
  const w = await watermark(db);
  const sampler = new Client({ connectionString: SCALE_URL });
  await sampler.connect();
  abort = () => reset(db, w);
  const loads: number[] = [];
  try {
    const ctx = await context(db);
    const ops = operations(ctx);
    console.log(`bench: ${ops.length} operations; load average ${loadavg()}`);

    // 1. Capture the SQL of every request variant.
    const captureFile = join(tmp, 'capture.jsonl');
    writeFileSync(captureFile, '');
    service = await startService(env, captureFile);
    const captured = await capture(ops, service.origin, await loginBoth(service.origin), captureFile);
    await stop(service.child);
    await reset(db, w);
    const opsFile = join(tmp, 'ops.json');
    writeFileSync(opsFile, JSON.stringify(captured));
    const statementCounts = Object.fromEntries(
      Object.entries(captured).map(([name, list]) => [name, list[0].statements.length]),
    );
    console.log('captured statements per request:', statementCounts);

    // 2. Measure, alternating service and baseline operation by operation.
    service = await startService(env);
    baseline = await startBaseline(opsFile);
    const serviceStartRss = rssMiB(service.child.pid);
    let auth = await loginBoth(service.origin);
    let authAt = Date.now();
    // Both servers first serve every operation once at its rate, so that V8 has compiled their request paths before
    // anything is measured: without it, the first operation measured also paid for the service's warm-up (the
    // counselor's case list, measured first: 4.9 ms of CPU per request and p95 18 ms without this pass, 3.4 ms and
    // 8.4 ms with it, in BENCH_ONLY runs on the quiet machine).
    for (const op of ops) {
      if (op.kind === 'stats') continue;
      for (const s of [service, baseline]) {
        await openLoop(s, op, auth, op.kind === 'intake' ? INTAKE_RATE : READ_RATE, WARMUP_SECONDS);
      }
      if (op.kind === 'intake') await reset(db, w);
    }
    await reset(db, w);
    const results: Result[] = [];
    for (const [index, op] of ops.entries()) {
      if (Date.now() - authAt > 10 * 60_000) {
        auth = await loginBoth(service.origin);
        authAt = Date.now();
      }
      loads.push(os.loadavg()[0]);
      const order: Server[] = index % 2 === 0 ? [service, baseline] : [baseline, service];
      const result: Result = { op, verdicts: [] };
      if (op.kind === 'stats') {
        const runs: Partial<Record<Server['name'], Run>> = {};
        for (const s of order) {
          await sequential(s, op, auth, 2);
          runs[s.name] = await sequential(s, op, auth, 10);
        }
        result.seq = { service: runs.service!, baseline: runs.baseline! };
      } else {
        const rate = op.kind === 'intake' ? INTAKE_RATE : READ_RATE;
        const fixed: Partial<Record<Server['name'], Run>> = {};
        const sat: Partial<Record<Server['name'], Run>> = {};
        for (const s of order) {
          await openLoop(s, op, auth, rate, WARMUP_SECONDS);
          fixed[s.name] = await openLoop(s, op, auth, rate, SECONDS);
          if (op.kind === 'intake') await reset(db, w);
        }
        for (const s of [...order].reverse()) {
          sat[s.name] = await saturated(s, op, auth, SATURATED_SECONDS, sampler);
          if (op.kind === 'intake') await reset(db, w);
        }
        result.fixed = { rate, service: fixed.service!, baseline: fixed.baseline! };
        result.sat = { service: sat.service!, baseline: sat.baseline! };
      }
      await reset(db, w);
      judge(result);
      results.push(result);
      console.log(summaryLine(result));
    }

    // 3. An export, start to file (a job: no baseline), and memory after the load.
    let exportRun: ExportRun | undefined;
    if (ONLY.length === 0 || ONLY.includes('export')) {
      exportRun = await measureExport(service.origin, auth.supervisor, ctx.fiscalYear, 3);
      console.log(`export: ${exportRun.seconds.map((s) => s.toFixed(2)).join(', ')} s`);
    }
    const memory = { atStart: serviceStartRss, afterLoad: rssMiB(service.child.pid), minuteLater: NaN };
    if (!SKIP_MEMORY) {
      await sleep(60_000);
      memory.minuteLater = rssMiB(service.child.pid);
    }
    console.log(
      `service RSS: ${memory.atStart.toFixed(0)} MiB at start, ${memory.afterLoad.toFixed(0)} after load, ${memory.minuteLater.toFixed(0)} a minute later`,
    );
    await stop(service.child);
    await stop(baseline.child);
    await reset(db, w);

    const machine = await machineFacts(db);
    const section = render(results, exportRun, memory, machine, started, loads);
    const missed = results.flatMap((r) => r.verdicts.filter((v) => !v.met).map((v) => `${r.op.name}: ${v.what}`));
    if (!SKIP_MEMORY && !(memory.minuteLater < BUDGET_RSS_MIB)) missed.push('memory a minute after load');
    if (exportRun && exportRun.ok < exportRun.seconds.length) missed.push('export did not finish');
    if (!NO_REPORT) {
      await writeReport(section);
      console.log(`wrote the "API" section of ${REPORT}`);
    }
    if (missed.length > 0) {
      console.log(`\nmissed (${missed.length}):\n  ${missed.join('\n  ')}`);
      return 1;
    }
    console.log('\nevery budget and ratio met');
    return 0;
  } finally {
    for (const child of [...children]) await stop(child);
    await reset(db, w).catch(() => undefined);
    await clearRedisPrefix(`bench${runId}`).catch(() => undefined);
    await db.end();
    await sampler.end();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function judge(r: Result): void {
  const v = (what: string, met: boolean) => r.verdicts.push({ what, met });
  if (r.fixed && r.sat) {
    const { service, baseline, rate } = r.fixed;
    const budget = r.op.kind === 'intake' ? BUDGET_INTAKE_P95 : BUDGET_READ_P95;
    v(`no errors`, service.errors === 0 && r.sat.service.errors === 0);
    v(`p95 < ${budget} ms at ${rate}/s`, service.p95 < budget);
    if (r.op.kind === 'read') {
      v(`p95 within ${RATIO_P95}× the baseline's`, service.p95 <= baseline.p95 * RATIO_P95);
      v(
        `saturated ≥ ${RATIO_THROUGHPUT}× the baseline's`,
        r.sat.service.rate >= r.sat.baseline.rate * RATIO_THROUGHPUT,
      );
    } else {
      v(`saturated ≥ ${BUDGET_INTAKE_RATE}/s`, r.sat.service.rate >= BUDGET_INTAKE_RATE);
    }
  }
  if (r.seq) {
    v('no errors', r.seq.service.errors === 0);
    v(`under ${BUDGET_STATS_MS} ms`, r.seq.service.max < BUDGET_STATS_MS);
  }
}

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

function summaryLine(r: Result): string {
  if (r.seq) {
    return `${r.op.name}: service p50 ${f1(r.seq.service.p50)} max ${f1(r.seq.service.max)} ms; baseline p50 ${f1(r.seq.baseline.p50)} ms`;
  }
  const { service: s, baseline: b } = r.fixed!;
  return (
    `${r.op.name}: @${r.fixed!.rate}/s service p50 ${f1(s.p50)} p95 ${f1(s.p95)} ms (${s.errors} err), baseline p50 ${f1(b.p50)} p95 ${f1(b.p95)} ms; ` +
    `saturated ${f0(r.sat!.service.rate)}/s vs ${f0(r.sat!.baseline.rate)}/s ` +
    `(backends busy ${f1(r.sat!.service.backends?.active ?? NaN)}, on a lock ${f1(r.sat!.service.backends?.waiting ?? NaN)}); cpu/req ${f2(s.cpuPerRequestMs)} vs ${f2(b.cpuPerRequestMs)} ms` +
    `${
      r.verdicts.some((v) => !v.met)
        ? '  MISSED: ' +
          r.verdicts
            .filter((v) => !v.met)
            .map((v) => v.what)
            .join('; ')
        : ''
    }`
  );
}

interface Machine {
  cpus: string;
  memory: string;
  os: string;
  node: string;
  postgres: string;
  commit: string;
  dirty: boolean;
  cases: string;
  consultations: string;
}

async function machineFacts(db: Client): Promise<Machine> {
  const cpus = os.cpus();
  const { rows } = await db.query<{ v: string; c: string; k: string }>(
    `SELECT version() AS v, (SELECT count(*) FROM cases)::text AS c, (SELECT count(*) FROM consultations)::text AS k`,
  );
  const git = (args: string) => {
    try {
      return execSync(`git ${args}`, { cwd: ROOT }).toString().trim();
    } catch {
      return '';
    }
  };
  return {
    cpus: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}`,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    postgres: rows[0].v.split(' on ')[0],
    commit: git('rev-parse --short HEAD') || 'unknown',
    dirty: git('status --porcelain -- src migrations scripts') !== '',
    cases: Number(rows[0].c).toLocaleString('en-US'),
    consultations: Number(rows[0].k).toLocaleString('en-US'),
  };
}

function render(
  results: Result[],
  exportRun: ExportRun | undefined,
  memory: { atStart: number; afterLoad: number; minuteLater: number },
  m: Machine,
  started: Date,
  loads: number[],
): string {
  const mark = (met: boolean) => (met ? 'met' : '**missed**');
  const rows = results
    .filter((r) => r.fixed)
    .map((r) => {
      const { service: s, baseline: b, rate } = r.fixed!;
      const sat = r.sat!;
      const failed = r.verdicts.filter((v) => !v.met).map((v) => v.what);
      return (
        `| ${r.op.title} | ${r.op.actor} | ${rate} | ${f1(s.p50)} / ${f1(s.p95)} / ${f1(s.p99)} | ${f1(b.p50)} / ${f1(b.p95)} | ` +
        `${f2(s.p95 / b.p95)} | ${f0(sat.service.rate)} | ${f0(sat.baseline.rate)} | ${f2(sat.service.rate / sat.baseline.rate)} | ` +
        `${f2(s.cpuPerRequestMs)} / ${f2(b.cpuPerRequestMs)} | ${f1(sat.service.backends?.active ?? NaN)} / ${f1(sat.service.backends?.waiting ?? NaN)} | ${s.errors + sat.service.errors} | ${failed.length === 0 ? 'met' : `**missed**: ${failed.join('; ')}`} |`
      );
    });
  const stats = results
    .filter((r) => r.seq)
    .map(
      (r) =>
        `| ${r.op.title} | ${r.op.actor} | ${f0(r.seq!.service.p50)} / ${f0(r.seq!.service.max)} | ${f0(r.seq!.baseline.p50)} / ${f0(r.seq!.baseline.max)} | ${mark(r.verdicts.every((v) => v.met))} |`,
    );
  const meanLoad = loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : NaN;
  return [
    BEGIN,
    '',
    '## API (`npm run bench`)',
    '',
    `Measured ${started.toISOString()} by \`scripts/bench.ts\` at commit \`${m.commit}\`${m.dirty ? ' (with uncommitted changes)' : ''}, ` +
      `on the data set of \`npm run seed:scale\` (${m.cases} cases, ${m.consultations} consultations, 4 districts, 60 users).`,
    '',
    '**Machine**',
    '',
    `- CPU: ${m.cpus}; memory ${m.memory}; ${m.os}; Node ${m.node}; ${m.postgres}`,
    `- Load average (1 min) while measuring: mean ${f2(meanLoad)}, min ${f2(Math.min(...loads))}, max ${f2(Math.max(...loads))} ` +
      '(2 cores: above 2, other work on the machine competed with the benchmark)',
    '',
    `**Method.** The built service (\`node dist/src/main.js\`, \`NODE_ENV=production\`, worker embedded, the Dockerfile's \`NODE_OPTIONS=${deployedNodeOptions()}\`) and the bare ` +
      'baseline (`scripts/bench-baseline.js`: Fastify and `pg` replaying, statement by statement on one connection, the SQL ' +
      'the service sent for the same request, captured in a first pass) run side by side; each operation is measured on one ' +
      'then the other, the order alternating from one operation to the next. Latency: an open loop (undici) sending at ' +
      `the fixed rate for ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up (and a first pass of ${WARMUP_SECONDS} s over every operation on both servers before any is measured), each latency counted from when the request was due. ` +
      `Throughput: autocannon, ${CONNECTIONS} connections, ${SATURATED_SECONDS} s. CPU per request: the server process's ` +
      'user + system time over the fixed-rate run, divided by the requests (PostgreSQL excluded). Requests rotate over ' +
      `up to ${VARIANTS} variants (cases, search words, statuses); each intake is a new child. Everything the run adds ` +
      'is deleted after each operation, and the tables vacuumed.',
    '',
    '| operation | as | rate /s | service p50 / p95 / p99 ms | baseline p50 / p95 ms | p95 ratio | saturated service /s | baseline /s | ratio | CPU ms/req service / baseline | service backends busy / on a lock (saturated) | errors | verdict |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'Budgets: reads p95 < 25 ms at 100/s and within 1.3× the baseline, saturated ≥ 0.75× the baseline; intake p95 < 40 ms ' +
      'at 50/s and ≥ 300/s saturated.',
    '',
    ...(stats.length
      ? [
          '| statistics | as | service p50 / max ms (10 sequential) | baseline p50 / max ms | under 500 ms |',
          '|---|---|---|---|---|',
          ...stats,
          '',
        ]
      : []),
    ...(exportRun
      ? [
          `- Export (consultations, one fiscal year, type × district, CSV; a job, so no baseline): request to file ` +
            `${exportRun.seconds.map((s) => `${s.toFixed(2)} s`).join(', ')} (${exportRun.ok}/${exportRun.seconds.length} done).`,
        ]
      : []),
    `- Service memory (RSS): ${f0(memory.atStart)} MiB after start, ${f0(memory.afterLoad)} MiB right after the load, ` +
      `${Number.isFinite(memory.minuteLater) ? `${f0(memory.minuteLater)} MiB a minute later` : 'not measured a minute later (BENCH_SKIP_MEMORY)'} (budget < ${BUDGET_RSS_MIB} MiB).`,
    '',
    END,
  ].join('\n');
}

/** Replaces this script's section of BENCHMARKS.md, keeping the others (bench:jobs has its own). */
async function writeReport(section: string): Promise<void> {
  let text = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : '# Benchmarks\n';
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin >= 0 && end > begin) text = text.slice(0, begin) + section + text.slice(end + END.length);
  else text = `${text.trimEnd()}\n\n${section}\n`;
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(REPORT)) ?? {};
  writeFileSync(REPORT, await prettier.format(text, { ...options, filepath: REPORT }));
}

let stopping = false;
/** Set once the run has a watermark: stops the servers and deletes what the run added. */
let abort: (() => Promise<void>) | undefined;
const onSignal = () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    for (const child of [...children]) await stop(child);
    await abort?.().catch(() => undefined);
    process.exit(2);
  })();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench failed:', error);
    for (const child of children) child.kill('SIGTERM');
    process.exit(2);
  },
);
