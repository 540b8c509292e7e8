import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app';
import { loadConfig } from '../src/core/config/app-config';
import { databaseOptions } from '../src/core/database/database-options';
import { JobQueue } from '../src/core/queue/job-queue.service';
import { JobName, QueueName } from '../src/core/queue/jobs';
import { TaskFactory } from '../src/tasks/task-factory';
import { taskEventKeys } from '../src/tasks/task-schedule';

/**
 * `npm run bench:jobs`: the job budgets of quality.md ("Performance budgets"),
 * measured against the real application (API with its embedded worker) on a
 * scratch PostgreSQL database and a private Redis prefix, both removed at the
 * end. Figures go to the console and to BENCHMARKS.md; a missed budget is
 * reported, not an error (the exit code is non-zero only when the run fails).
 *
 *   BENCH_TASKS  tasks due in the next seconds (default 300)
 *   BENCH_JOBS   simple jobs for the throughput run (default 5000)
 *   TEST_DATABASE_URL  the PostgreSQL server (a scratch database is created on it)
 *   REDIS_URL    the Redis server (else TEST_REDIS_URL, else redis://127.0.0.1:6379)
 */

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TASKS = positiveInt('BENCH_TASKS', 300);
const JOBS = positiveInt('BENCH_JOBS', 5000);

/** The worker's concurrency per queue (src/core/queue/worker.service.ts). */
const WORKER_CONCURRENCY = 8;
/** The first task is due this long after creation starts, plus a little per task to create. */
const MIN_LEAD_MS = 3_000;
const SPREAD_MS = 15_000;
/** A due-time job not fired this long after the last due time counts as never fired. */
const FIRE_TIMEOUT_MS = 30_000;
const POLL_MS = 50;
const IDLE_MS = 2_000;
const BULK_CHUNK = 1_000;
const CLOSE_TIMEOUT_MS = 15_000;

const BUDGET_LATENESS_MS = 1_000;
const BUDGET_JOBS_PER_S = 1_000;
const BUDGET_RSS_MIB = 200;

const MIB = 1024 * 1024;
const ROOT = join(__dirname, '..');
const REPORT = join(ROOT, 'BENCHMARKS.md');
const BEGIN = '<!-- bench:jobs -->';
const END = '<!-- /bench:jobs -->';
const INTRO =
  'Figures in this file are measured on the machine named in each section, by the script named in its heading, ' +
  'against a real PostgreSQL and Redis; they are not asserted in tests, so they describe one run on one machine ' +
  'rather than a guarantee. The budgets are those of `quality.md` ("Performance budgets"). Re-run a script to ' +
  'replace its section; the other sections are kept.';

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a positive whole number`);
  return Number(raw);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function databaseUrl(database: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The script's own Redis connections fail at once when Redis is away, rather than retry for ever. */
function scriptRedis(): Redis {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 5_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  // A failure surfaces as the rejected command; no "unhandled error event" besides.
  redis.on('error', () => undefined);
  return redis;
}

/** Rejects if `promise` takes longer than `timeoutMs`. */
async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function clearRedisPrefix(prefix: string): Promise<number> {
  const redis = scriptRedis();
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

async function countRedisKeys(prefix: string): Promise<number> {
  const redis = scriptRedis();
  await redis.connect();
  try {
    let cursor = '0';
    let count = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
    return count;
  } finally {
    redis.disconnect();
  }
}

/** Version, and `hz`: how often Redis's timers run, which bounds how promptly a blocked worker wakes. */
async function redisFacts(): Promise<{ label: string; hz: number }> {
  const redis = scriptRedis();
  await redis.connect();
  try {
    const info = await redis.info('server');
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
    const version = field('valkey_version') ? `Valkey ${field('valkey_version')}` : `Redis ${field('redis_version')}`;
    const hz = Number(field('hz') ?? NaN);
    return { label: `${version} (${field('os') ?? 'unknown OS'}; hz ${field('hz') ?? '?'})`, hz };
  } finally {
    redis.disconnect();
  }
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Distribution {
  count: number;
  min: number;
  median: number;
  p95: number;
  max: number;
}

function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: sorted[0] ?? NaN,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : 'n/a');
const int = (v: number) => Math.round(v).toLocaleString('en-US');

interface Machine {
  cpus: string;
  load: string;
  memory: string;
  os: string;
  node: string;
  postgres: string;
  redis: string;
  redisHz: number;
}

interface MemoryFigures {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** RSS of a bare Node started like this process (same loader flags) and of plain Node: the loader's own cost. */
  loaderRss: number;
  plainRss: number;
}

interface FiringFigures {
  tasks: number;
  fired: number;
  withinBudget: number;
  /** notification.created_at − due_at */
  lateness: Distribution;
  /** BullMQ's processedOn − due_at: when the worker took the delayed job. */
  pickup: Distribution;
  /** notification.created_at − processedOn: the handler up to its transaction. */
  handler: Distribution;
  createMs: number;
  minLeadAtCommitMs: number;
  firstDueInS: number;
  lastDueInS: number;
}

interface ThroughputFigures {
  jobs: number;
  enqueueMs: number;
  /** From the first poll that saw a job taken to the first that saw none left (polled every 50 ms). */
  polledMs: number;
  polledRate: number;
  /** Little's law: the worker's concurrency over the mean time per job. */
  ceiling: number;
  /** From BullMQ's timestamps of the jobs still kept in the completed set. */
  exact: { jobs: number; spanMs: number; rate: number; meanJobMs: number } | null;
  failed: number;
  cpuPercent: number;
}

async function main(): Promise<void> {
  const runId = randomBytes(4).toString('hex');
  const database = `tsunagu_bench_${process.pid}_${runId}`;
  const prefix = `bench${runId}`;
  let app: NestFastifyApplication | undefined;
  let created = false;
  let redisAnswered = false;
  let cleaning: Promise<void> | undefined;

  // Once, whoever asks first (the end of the run, a failure, a signal); the others wait for the same.
  const cleanup = () => (cleaning ??= removeEverything());
  const removeEverything = async () => {
    const problems: string[] = [];
    if (app) {
      try {
        await within(app.close(), CLOSE_TIMEOUT_MS, 'closing the app');
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    const done: string[] = [];
    if (created) {
      try {
        await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
        done.push(`database ${database} dropped`);
      } catch (error) {
        problems.push(`dropping database ${database}: ${(error as Error).message}`);
      }
    }
    if (redisAnswered) {
      try {
        await clearRedisPrefix(prefix);
        const left = await countRedisKeys(prefix);
        if (left > 0) problems.push(`${left} Redis keys under ${prefix}: remain`);
        else done.push(`Redis keys ${prefix}:* deleted`);
      } catch (error) {
        problems.push(`clearing Redis prefix ${prefix}: ${(error as Error).message}`);
      }
    }
    if (problems.length > 0) throw new Error(`clean-up incomplete: ${problems.join('; ')}`);
    if (done.length > 0) console.log(`cleaned up: ${done.join(', ')}`);
  };
  // Nest's own shutdown hooks (configureApp) also close the app on these signals and then raise the
  // signal again: stay subscribed, so that the second one does not end the process before the clean-up.
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    console.error(`\n${signal}: cleaning up`);
    cleanup().then(
      () => process.exit(130),
      (error: unknown) => {
        console.error(error);
        process.exit(130);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    console.log(`bench:jobs — ${TASKS} tasks, ${JOBS} simple jobs; database ${database}, Redis prefix ${prefix}`);
    // Redis must answer before anything is created: the application would wait for it for ever.
    const redis = await redisFacts().catch((error: unknown) => {
      throw new Error(`Redis at ${REDIS_URL} does not answer: ${(error as Error).message}`);
    });
    redisAnswered = true;
    await withAdmin((c) => c.query(`CREATE DATABASE "${database}"`));
    created = true;
    const url = databaseUrl(database);
    // In a child process, so that what migrating leaves in memory does not count as the API's memory at rest.
    await migrateInChild(url);

    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: url,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      JWT_SECRET: `bench-secret-${randomBytes(16).toString('hex')}`,
      LOG_LEVEL: 'silent',
      LOG_PRETTY: 'false',
      MIGRATIONS_RUN: 'false',
      WORKER_MODE: 'embedded',
      // Only the due-time reminder (offset 0); the escalation is 24 h away.
      TASK_REMINDER_OFFSETS_MINUTES: '0',
    });
    app = await createApp(config);
    const db = app.get(DataSource);

    const machine = await machineFacts(db, redis);
    const memory = await measureMemory();
    console.log(`memory at rest: ${(memory.rss / MIB).toFixed(1)} MiB RSS`);

    const firing = await measureFiring(app, db);
    console.log(
      `firing: ${firing.fired}/${firing.tasks} fired, ${firing.withinBudget} within 1 s; ` +
        `lateness median ${ms(firing.lateness.median)}, p95 ${ms(firing.lateness.p95)}, max ${ms(firing.lateness.max)}`,
    );

    const throughput = await measureThroughput(app, runId);
    console.log(`throughput: ${int(throughput.polledRate)} jobs/s (${JOBS} jobs in ${ms(throughput.polledMs)})`);

    await app.close();
    app = undefined;
    await cleanup();

    const section = renderSection(machine, memory, firing, throughput);
    console.log(`\n${renderSummary(memory, firing, throughput)}`);
    await writeReport(section);
    console.log(`\nwrote the "Jobs" section of ${REPORT}`);
  } catch (error) {
    // Clean up after a failure too, without hiding the failure.
    await cleanup().catch((cleanupError: unknown) => {
      if (cleanupError !== error) console.error(cleanupError);
    });
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** Runs this script in migration-only mode, with the same loader flags. */
async function migrateInChild(url: string): Promise<void> {
  const child = spawn(process.execPath, [...process.execArgv, __filename], {
    env: { ...process.env, BENCH_MIGRATE_URL: url },
    stdio: 'inherit',
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`migrating the scratch database failed (exit code ${code})`);
}

async function migrate(url: string): Promise<void> {
  const migrator = new DataSource(databaseOptions(url, { poolSize: 2 }));
  await migrator.initialize();
  try {
    await migrator.runMigrations({ transaction: 'each' });
  } finally {
    await migrator.destroy();
  }
}

async function machineFacts(db: DataSource, redis: { label: string; hz: number }): Promise<Machine> {
  const cpus = os.cpus();
  const [{ version }] = (await db.query('SELECT version()')) as { version: string }[];
  return {
    cpus: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}`,
    load: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', '),
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    postgres: version,
    redis: redis.label,
    redisHz: redis.hz,
  };
}

/** Measurement 3: this process (the API with its embedded worker), booted and idle. */
async function measureMemory(): Promise<MemoryFigures> {
  await sleep(IDLE_MS);
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    loaderRss: bareRss(process.execArgv),
    plainRss: bareRss([]),
  };
}

/** RSS of a Node process that loads nothing but its flags (here: the TypeScript loader). */
function bareRss(execArgv: string[]): number {
  const out = spawnSync(
    process.execPath,
    [...execArgv, '-e', 'process.stdout.write(String(process.memoryUsage().rss))'],
    {
      encoding: 'utf8',
    },
  );
  if (out.status !== 0) throw new Error(`could not start a bare Node process: ${out.stderr}`);
  return Number(out.stdout);
}

/** Measurement 1: tasks due in the next seconds; when does each one's due-time notification appear? */
async function measureFiring(app: NestFastifyApplication, db: DataSource): Promise<FiringFigures> {
  const suffix = randomBytes(3).toString('hex');
  const [{ id: districtId }] = (await db.query(
    `INSERT INTO districts (code, name) VALUES ($1, 'bench district') RETURNING id`,
    [`bench_${suffix}`],
  )) as { id: string }[];
  const [{ id: userId }] = (await db.query(
    `INSERT INTO users (username, display_name, roles, password_hash, must_change_password)
     VALUES ($1, 'Bench counselor', ARRAY['counselor'], '', false) RETURNING id`,
    [`bench_${suffix}`],
  )) as { id: string }[];
  await db.query(`INSERT INTO district_members (district_id, user_id, role) VALUES ($1, $2, 'member')`, [
    districtId,
    userId,
  ]);
  const [{ id: personId }] = (await db.query(
    `INSERT INTO persons (family_name, given_name) VALUES ('ベンチ', '太郎') RETURNING id`,
  )) as { id: string }[];
  const [{ id: householdId }] = (await db.query(
    `INSERT INTO households (address) VALUES ('bench address') RETURNING id`,
  )) as { id: string }[];
  const [{ id: caseId }] = (await db.query(
    `INSERT INTO cases (number, fiscal_year, subject_id, subject_kind, household_id, status, district_id,
                        primary_counselor_id, main_consultation_type, opened_at)
     VALUES ($1, 2026, $2, 'child', $3, 'active', $4, $5, 'parenting', now()) RETURNING id`,
    [`BENCH-${suffix}`, personId, householdId, districtId, userId],
  )) as { id: string }[];

  const rules = app.get(TaskFactory);
  const start = Date.now();
  // Creating the tasks takes a moment; the first is still due at least MIN_LEAD_MS after they commit.
  const firstDue = start + MIN_LEAD_MS + Math.max(2_000, TASKS * 5);
  const tasks = await db.transaction(async (m) => {
    const made: { id: string; dueMs: number }[] = [];
    for (let i = 0; i < TASKS; i++) {
      const dueAt = new Date(firstDue + Math.round((i * SPREAD_MS) / TASKS));
      const task = await rules.createTask(m, {
        caseId,
        kind: 'callback',
        title: `bench ${i}`,
        dueAt,
        assigneeId: userId,
        origin: 'manual',
        createdBy: userId,
      });
      if (!task) throw new Error('createTask made no task');
      made.push({ id: task.id, dueMs: task.dueAt.getTime() });
    }
    return made;
  });
  const committed = Date.now();
  const dues = tasks.map((t) => t.dueMs);
  const minLeadAtCommitMs = Math.min(...dues) - committed;
  if (minLeadAtCommitMs < MIN_LEAD_MS) {
    console.warn(`warning: the first task was due only ${minLeadAtCommitMs} ms after the tasks committed`);
  }

  const keys = tasks.map((t) => taskEventKeys.reminder(t.id, t.dueMs, 0));
  const deadline = Math.max(...dues) + FIRE_TIMEOUT_MS;
  let rows: { event_key: string; created_at: Date }[] = [];
  for (;;) {
    rows = (await db.query(
      `SELECT event_key, created_at FROM notifications WHERE user_id = $1 AND event_key = ANY($2::text[])`,
      [userId, keys],
    )) as typeof rows;
    if (rows.length >= keys.length || Date.now() > deadline) break;
    await sleep(250);
  }

  const createdAt = new Map(rows.map((r) => [r.event_key, r.created_at.getTime()]));
  const queue = app.get(JobQueue).queue(QueueName.Tasks);
  const lateness: number[] = [];
  const pickup: number[] = [];
  const handler: number[] = [];
  for (const [i, task] of tasks.entries()) {
    const at = createdAt.get(keys[i]);
    if (at === undefined) continue;
    lateness.push(at - task.dueMs);
    const job = await queue.getJob(keys[i]);
    if (job?.processedOn) {
      pickup.push(job.processedOn - task.dueMs);
      handler.push(at - job.processedOn);
    }
  }
  return {
    tasks: tasks.length,
    fired: lateness.length,
    withinBudget: lateness.filter((l) => l <= BUDGET_LATENESS_MS).length,
    lateness: distribution(lateness),
    pickup: distribution(pickup),
    handler: distribution(handler),
    createMs: committed - start,
    minLeadAtCommitMs,
    firstDueInS: (firstDue - start) / 1000,
    lastDueInS: (Math.max(...dues) - start) / 1000,
  };
}

/** Measurement 2: M stale task reminders through the one embedded worker. */
async function measureThroughput(app: NestFastifyApplication, runId: string): Promise<ThroughputFigures> {
  const queue = app.get(JobQueue).queue(QueueName.Tasks);
  const counts = async () => {
    const c = await queue.getJobCounts('wait', 'active', 'prioritized', 'completed', 'failed');
    return {
      outstanding: (c.wait ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      completed: c.completed ?? 0,
      failed: c.failed ?? 0,
    };
  };
  const before = await counts();
  if (before.outstanding > 0) await waitUntil(async () => (await counts()).outstanding === 0, 30_000);
  const baseline = await counts();

  const dueAt = new Date().toISOString();
  const idPrefix = `bench.${runId}.`;
  const jobs = Array.from({ length: JOBS }, (_, i) => ({
    name: JobName.TaskReminder,
    // A task that does not exist: the handler re-reads PostgreSQL, finds nothing due, and does nothing.
    data: { taskId: randomUUID(), dueAt, offsetMinutes: 0 },
    opts: { jobId: `${idPrefix}${i}` },
  }));

  // Watch the queue while the jobs go in: the worker starts on the first chunk at once.
  let firstSeen: number | undefined;
  let lastSeen: number | undefined;
  let cpuAtFirst: NodeJS.CpuUsage | undefined;
  let adding = true;
  const watch = (async () => {
    const limit = Date.now() + 10 * 60_000;
    while (Date.now() < limit) {
      const c = await counts();
      const now = Date.now();
      const progressed = c.active > 0 || c.completed > baseline.completed || c.failed > baseline.failed;
      if (firstSeen === undefined && progressed) {
        firstSeen = now;
        cpuAtFirst = process.cpuUsage();
      }
      if (firstSeen !== undefined && !adding && c.outstanding === 0) {
        lastSeen = now;
        return;
      }
      await sleep(POLL_MS);
    }
    throw new Error('the throughput jobs did not finish within 10 minutes');
  })();

  const enqueueStart = Date.now();
  for (let i = 0; i < jobs.length; i += BULK_CHUNK) await queue.addBulk(jobs.slice(i, i + BULK_CHUNK));
  const enqueueMs = Date.now() - enqueueStart;
  adding = false;
  await watch;
  const cpu = process.cpuUsage(cpuAtFirst);
  const after = await counts();

  const polledMs = lastSeen! - firstSeen!;
  // The completed set is trimmed (removeOnComplete count 5,000): the exact figure uses the jobs still kept.
  const kept = (await queue.getJobs(['completed'], 0, JOBS + 1_000)).filter((j) => j.id?.startsWith(idPrefix));
  let exact: ThroughputFigures['exact'] = null;
  let ceiling = NaN;
  if (kept.length > 1) {
    const started = Math.min(...kept.map((j) => j.processedOn ?? Infinity));
    const finished = Math.max(...kept.map((j) => j.finishedOn ?? 0));
    const spanMs = finished - started;
    const meanJobMs = kept.reduce((sum, j) => sum + ((j.finishedOn ?? 0) - (j.processedOn ?? 0)), 0) / kept.length;
    exact = { jobs: kept.length, spanMs, rate: (kept.length / spanMs) * 1000, meanJobMs };
    ceiling = (WORKER_CONCURRENCY / meanJobMs) * 1000;
  }
  return {
    jobs: JOBS,
    enqueueMs,
    polledMs,
    polledRate: (JOBS / polledMs) * 1000,
    ceiling,
    exact,
    failed: after.failed - baseline.failed,
    cpuPercent: ((cpu.user + cpu.system) / 1000 / polledMs) * 100,
  };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const limit = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > limit) throw new Error('timed out waiting for the queue to drain');
    await sleep(POLL_MS);
  }
}

interface Verdict {
  met: boolean;
  text: string;
}

function firingVerdict(f: FiringFigures): Verdict {
  if (f.fired === f.tasks && f.withinBudget === f.tasks) {
    return { met: true, text: `met: all ${f.tasks} fired within 1 s of their due time (max ${ms(f.lateness.max)}).` };
  }
  const reasons: string[] = [];
  if (f.fired < f.tasks) reasons.push(`${f.tasks - f.fired} never fired within ${FIRE_TIMEOUT_MS / 1000} s`);
  if (f.pickup.p95 > f.handler.p95) {
    reasons.push(`the delay is in BullMQ taking the delayed job (pick-up p95 ${ms(f.pickup.p95)})`);
  } else {
    reasons.push(`the delay is in the handler before its transaction began (p95 ${ms(f.handler.p95)})`);
  }
  return {
    met: false,
    text: `missed: ${f.tasks - f.withinBudget} of ${f.tasks} late or missing; ${reasons.join('; ')}.`,
  };
}

function throughputVerdict(t: ThroughputFigures): Verdict {
  if (t.polledRate >= BUDGET_JOBS_PER_S) {
    const bound = t.exact
      ? ` The margin is set by concurrency: ${WORKER_CONCURRENCY} jobs in flight × ${t.exact.meanJobMs.toFixed(1)} ms ` +
        `per job allows about ${int(t.ceiling)}/s, and the process used ${Math.round(t.cpuPercent)} % of a core.`
      : '';
    return { met: true, text: `met: ${int(t.polledRate)} jobs/s with concurrency ${WORKER_CONCURRENCY}.${bound}` };
  }
  const reason =
    t.cpuPercent >= 85
      ? `the process is CPU-bound (${Math.round(t.cpuPercent)} % of one core while running): each job is a PostgreSQL ` +
        `transaction plus BullMQ's Redis round trips, all on the one Node thread that also serves the API`
      : t.exact
        ? `concurrency-bound: ${WORKER_CONCURRENCY} jobs in flight × ${t.exact.meanJobMs.toFixed(1)} ms each ` +
          `allows about ${int(t.ceiling)}/s, and the process used only ${Math.round(t.cpuPercent)} % of a core`
        : `the process used ${Math.round(t.cpuPercent)} % of a core`;
  return { met: false, text: `missed: ${int(t.polledRate)} jobs/s; likely ${reason}.` };
}

/** What the TypeScript loader itself costs, and the RSS without it (an estimate: the loader also keeps per-file state). */
function loaderShare(m: MemoryFigures): { loader: number; without: number } {
  const loader = Math.max(0, m.loaderRss - m.plainRss);
  return { loader, without: m.rss - loader };
}

function memoryVerdict(m: MemoryFigures): Verdict {
  const rss = m.rss / MIB;
  const { loader, without } = loaderShare(m);
  if (rss < BUDGET_RSS_MIB) return { met: true, text: `met: ${rss.toFixed(1)} MiB RSS.` };
  const loaderNote =
    loader > 0
      ? ` About ${(loader / MIB).toFixed(0)} MiB of it is the in-process TypeScript loader (a bare \`node ` +
        `${process.execArgv.join(' ')}\` is ${(m.loaderRss / MIB).toFixed(0)} MiB, plain \`node\` ` +
        `${(m.plainRss / MIB).toFixed(0)} MiB), which a built \`npm start\` does not load: without it, about ` +
        `${(without / MIB).toFixed(0)} MiB (${without / MIB < BUDGET_RSS_MIB ? 'under' : 'still over'} the budget; ` +
        'an estimate, to be confirmed on the built service).'
      : '';
  return {
    met: false,
    text: `missed: ${rss.toFixed(1)} MiB RSS as measured (JS heap ${(m.heapUsed / MIB).toFixed(1)} MiB used).${loaderNote}`,
  };
}

function renderSummary(m: MemoryFigures, f: FiringFigures, t: ThroughputFigures): string {
  const lines = [
    'Summary',
    `  memory at rest      ${(m.rss / MIB).toFixed(1)} MiB RSS (heap used ${(m.heapUsed / MIB).toFixed(1)} MiB; ` +
      `loader alone ${(loaderShare(m).loader / MIB).toFixed(0)} MiB)`,
    `                      ${memoryVerdict(m).text}`,
    `  task fires at T     ${f.fired}/${f.tasks} fired, ${f.withinBudget} within 1 s`,
    `                      lateness median ${ms(f.lateness.median)}, p95 ${ms(f.lateness.p95)}, max ${ms(f.lateness.max)}`,
    `                      pick-up (processedOn − due) median ${ms(f.pickup.median)}, p95 ${ms(f.pickup.p95)}, max ${ms(f.pickup.max)}`,
    `                      ${firingVerdict(f).text}`,
    `  throughput          ${int(t.polledRate)} jobs/s (${t.jobs} jobs, ${ms(t.polledMs)}, ${Math.round(t.cpuPercent)} % of a core)`,
    t.exact
      ? `                      by job timestamps: ${int(t.exact.rate)} jobs/s over ${t.exact.jobs} jobs, mean job ${t.exact.meanJobMs.toFixed(1)} ms`
      : '',
    `                      ${throughputVerdict(t).text}`,
  ];
  return lines.filter(Boolean).join('\n');
}

/** A pick-up spread no wider than Redis's timer period points at that period rather than at the application. */
function timerNote(machine: Machine, f: FiringFigures): string {
  const period = 1000 / machine.redisHz;
  if (!Number.isFinite(period) || !(f.pickup.max <= period * 1.5)) return '';
  return (
    ` The pick-up spread (up to about ${Math.round(period)} ms) matches Redis's timer period at hz ` +
    `${machine.redisHz}, which bounds how soon a worker blocked on the queue wakes for a delayed job.`
  );
}

function renderSection(machine: Machine, m: MemoryFigures, f: FiringFigures, t: ThroughputFigures): string {
  const mark = (v: Verdict) => (v.met ? 'met' : '**missed**');
  const fv = firingVerdict(f);
  const tv = throughputVerdict(t);
  const mv = memoryVerdict(m);
  return [
    BEGIN,
    '',
    '## Jobs (`npm run bench:jobs`)',
    '',
    `Measured ${new Date().toISOString()} by \`scripts/bench-jobs.ts\`.`,
    '',
    '**Machine**',
    '',
    `- CPU: ${machine.cpus}`,
    `- Memory: ${machine.memory}`,
    `- Load average (1, 5, 15 min) at the start: ${machine.load}`,
    `- OS: ${machine.os}`,
    `- Node: ${machine.node}`,
    `- PostgreSQL: ${machine.postgres}`,
    `- Redis: ${machine.redis}`,
    '',
    '**Set-up.** The real application (`createApp`, API with `WORKER_MODE=embedded`, `LOG_LEVEL=silent`) in the ' +
      'benchmark process, loaded through `@swc-node/register`, on a scratch database created and migrated for the ' +
      'run and a private Redis prefix, both removed afterwards. PostgreSQL, Redis and the benchmark share the machine ' +
      '(with whatever else ran on it: see the load average).',
    '',
    '**Parameters**',
    '',
    `- Tasks: ${f.tasks} (\`BENCH_TASKS\`), one counselor, one case, \`TASK_REMINDER_OFFSETS_MINUTES=0\`; created in ` +
      `one transaction through \`TaskFactory.createTask\` (${ms(f.createMs)}), due ${f.firstDueInS.toFixed(1)}–` +
      `${f.lastDueInS.toFixed(1)} s after creation began (the first ${(f.minLeadAtCommitMs / 1000).toFixed(1)} s ` +
      'after commit, so the 200 ms outbox relay is not what is measured). Lateness is the due-time ' +
      "notification's `created_at` (its handler's transaction start) minus the task's `due_at`.",
    `- Simple jobs: ${t.jobs} (\`BENCH_JOBS\`) \`${JobName.TaskReminder}\` jobs for tasks that do not exist (each handler ` +
      'runs a PostgreSQL transaction, finds nothing due and does nothing), added with `Queue.addBulk` in chunks of ' +
      `${BULK_CHUNK} (${ms(t.enqueueMs)}) to the \`${QueueName.Tasks}\` queue, whose one worker runs ${WORKER_CONCURRENCY} at a time. ` +
      `Timed from the first poll that saw a job taken to the first that saw none left, polling the queue's job counts every ${POLL_MS} ms ` +
      '(progress is read as waiting + active, because `removeOnComplete` trims the completed set to 5,000).',
    `- Memory: \`process.memoryUsage().rss\` of the benchmark process running the API with its embedded worker, ` +
      `after boot and ${IDLE_MS / 1000} s idle, before the other measurements (the migrations ran in a child process).`,
    '',
    '| budget (quality.md) | measured | verdict |',
    '|---|---|---|',
    `| a task due at T fires its job within 1 s of T | ${f.withinBudget}/${f.tasks} within 1 s; lateness median ` +
      `${ms(f.lateness.median)}, p95 ${ms(f.lateness.p95)}, max ${ms(f.lateness.max)} | ${mark(fv)} |`,
    `| job throughput of one worker ≥ 1,000 simple jobs/s | ${int(t.polledRate)} jobs/s` +
      `${t.exact ? ` (${int(t.exact.rate)} by the jobs' timestamps)` : ''} | ${mark(tv)} |`,
    `| API process memory at rest < 200 MiB RSS | ${(m.rss / MIB).toFixed(1)} MiB | ${mark(mv)}${mv.met ? '' : ` (≈ ${(loaderShare(m).without / MIB).toFixed(0)} MiB without the TypeScript loader)`} |`,
    '',
    '**Verdicts**',
    '',
    `- Firing: ${fv.text}`,
    `- Throughput: ${tv.text}`,
    `- Memory: ${mv.text}`,
    '',
    '**Details**',
    '',
    `- Lateness: min ${ms(f.lateness.min)}, median ${ms(f.lateness.median)}, p95 ${ms(f.lateness.p95)}, ` +
      `max ${ms(f.lateness.max)}; of which BullMQ pick-up (\`processedOn\` − due) median ${ms(f.pickup.median)}, ` +
      `p95 ${ms(f.pickup.p95)}, max ${ms(f.pickup.max)}, and handler start to transaction median ` +
      `${ms(f.handler.median)}, p95 ${ms(f.handler.p95)}.${timerNote(machine, f)}`,
    t.exact
      ? `- Throughput by the jobs' own timestamps (first \`processedOn\` to last \`finishedOn\` of the ` +
        `${t.exact.jobs} jobs kept): ${int(t.exact.rate)} jobs/s; mean time per job ${t.exact.meanJobMs.toFixed(1)} ms; ` +
        `the process used ${Math.round(t.cpuPercent)} % of one core meanwhile; ${t.failed} failed.`
      : `- The process used ${Math.round(t.cpuPercent)} % of one core meanwhile; ${t.failed} failed.`,
    `- Memory: heap used ${(m.heapUsed / MIB).toFixed(1)} MiB of ${(m.heapTotal / MIB).toFixed(1)} MiB, ` +
      `external ${(m.external / MIB).toFixed(1)} MiB; a bare Node with the same loader flags ` +
      `${(m.loaderRss / MIB).toFixed(1)} MiB, plain Node ${(m.plainRss / MIB).toFixed(1)} MiB.`,
    '',
    END,
  ].join('\n');
}

/** Replaces this script's section of BENCHMARKS.md, keeping the others; formatted as `prettier --check` expects. */
async function writeReport(section: string): Promise<void> {
  let text = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : `# Benchmarks\n\n${INTRO}\n`;
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin >= 0 && end > begin) {
    text = text.slice(0, begin) + section + text.slice(end + END.length);
  } else {
    text = `${text.trimEnd()}\n\n${section}\n`;
  }
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(REPORT)) ?? {};
  writeFileSync(REPORT, await prettier.format(text, { ...options, filepath: REPORT }));
}

if (require.main === module && process.env.BENCH_MIGRATE_URL) {
  migrate(process.env.BENCH_MIGRATE_URL).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('bench:jobs: migrating failed:', error);
      process.exit(1);
    },
  );
} else if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('bench:jobs failed:', error);
      process.exit(1);
    },
  );
}
