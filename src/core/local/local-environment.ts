import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { isConfigured } from '../config/secret-files';
import { ClusterError, embeddedNativeDir, RunningCluster, startCluster } from './embedded-cluster';

/**
 * Zero-setup local start (issue: "npm ci && npm start" on a fresh machine).
 * When the operator has not configured a database, Redis or a JWT secret and
 * we are not in production, provide working local ones under .data/ and keep
 * them between runs. Production never gets here: a missing value there is a
 * configuration error.
 */
export interface LocalEnvironment {
  /** What was started or generated, for the start-up banner. */
  notes: string[];
  /** True when defaults were filled in, i.e. this is a local developer start. */
  local: boolean;
}

const DATA_DIR = resolve(process.env.TSUNAGU_DATA_DIR ?? '.data');
/** A machine-wide Redis, used when one answers; otherwise this checkout starts its own. */
const SHARED_REDIS_PORT = 6379;

/**
 * Two checkouts on one machine must not meet (issue 12, part 3): one's jobs
 * would run in the other's worker, one's cluster would refuse the other's
 * port. Their defaults are derived from the checkout's path: the Redis key
 * prefix, the embedded PostgreSQL's port and a started Redis's port. Set
 * REDIS_PREFIX, EMBEDDED_PG_PORT or LOCAL_REDIS_PORT to choose them.
 */
export function checkoutDefaults(dataDir: string): {
  id: string;
  pgPort: number;
  redisPort: number;
  redisPrefix: string;
} {
  mkdirSync(dataDir, { recursive: true });
  const id = createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 8);
  const n = Number.parseInt(id.slice(0, 6), 16) % 1000;
  return { id, pgPort: 54330 + n, redisPort: 56330 + n, redisPrefix: `tsunagu-${id}` };
}

export async function prepareLocalEnvironment(env: NodeJS.ProcessEnv): Promise<LocalEnvironment> {
  const notes: string[] = [];
  if (env.NODE_ENV === 'production') return { notes, local: false };
  let local = false;
  const defaults = checkoutDefaults(DATA_DIR);

  if (!isConfigured(env, 'DATABASE_URL')) {
    const port = Number(env.EMBEDDED_PG_PORT ?? defaults.pgPort);
    const urls = await startEmbeddedPostgres(port, env);
    env.DATABASE_URL = urls.runtime;
    env.MIGRATION_DATABASE_URL = urls.owner;
    notes.push(
      `embedded PostgreSQL on 127.0.0.1:${port}, data in ${urls.pgdata}; ` +
        `the service runs as ${LOCAL_RUNTIME_ROLE}, migrations as postgres`,
    );
    if (urls.relocated) notes.push(urls.relocated);
    local = true;
  }
  if (!isConfigured(env, 'REDIS_URL')) {
    env.REDIS_URL = await ensureLocalRedis(notes, Number(env.LOCAL_REDIS_PORT ?? defaults.redisPort));
    if (!env.REDIS_PREFIX) {
      env.REDIS_PREFIX = defaults.redisPrefix;
      notes.push(`Redis keys prefixed ${defaults.redisPrefix} (this checkout's own)`);
    }
    local = true;
  }
  if (!isConfigured(env, 'JWT_SECRET')) {
    env.JWT_SECRET = localSecret('jwt-secret');
    notes.push(`JWT secret kept in ${join(DATA_DIR, 'jwt-secret')}`);
    local = true;
  }
  if (!isConfigured(env, 'AUDIT_ANCHOR_KEY')) {
    env.AUDIT_ANCHOR_KEY = localSecret('audit-anchor-key');
    notes.push(`audit anchor key kept in ${join(DATA_DIR, 'audit-anchor-key')}`);
    local = true;
  }
  if (local && env.DEMO_DATA === undefined) env.DEMO_DATA = 'true';
  return { notes, local };
}

function localSecret(name: string): string {
  mkdirSync(DATA_DIR, { recursive: true });
  const file = join(DATA_DIR, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The embedded cluster's role for the service: it owns nothing (migrations run as postgres). */
const LOCAL_RUNTIME_ROLE = 'tsunagu_app';

async function startEmbeddedPostgres(
  port: number,
  env: NodeJS.ProcessEnv,
): Promise<{ owner: string; runtime: string; pgdata: string; relocated: string | null }> {
  const password = localSecret('postgres-password');
  const runtimePassword = localSecret('postgres-app-password');
  let cluster: RunningCluster;
  try {
    cluster = await startCluster({
      dataDir: DATA_DIR,
      port,
      password,
      nativeDir: embeddedNativeDir(),
      fallbackDir: join(env.TSUNAGU_CLUSTER_DIR ?? '/var/lib/tsunagu', checkoutDefaults(DATA_DIR).id),
    });
  } catch (error) {
    if (error instanceof ClusterError) throw new LocalSetupError(error.message);
    throw error;
  }
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await client.connect();
  try {
    const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'tsunagu'`);
    if (exists.rowCount === 0) await client.query('CREATE DATABASE tsunagu');
    // The runtime role: created once, its password kept in .data/ like the owner's.
    const role = await client.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [LOCAL_RUNTIME_ROLE]);
    if (role.rowCount === 0) await client.query(`CREATE ROLE ${LOCAL_RUNTIME_ROLE} LOGIN`);
    const escaped = runtimePassword.replaceAll("'", "''");
    await client.query(`ALTER ROLE ${LOCAL_RUNTIME_ROLE} PASSWORD '${escaped}'`);
  } finally {
    await client.end();
  }
  const at = `@127.0.0.1:${port}/tsunagu`;
  return {
    owner: `postgres://postgres:${encodeURIComponent(password)}${at}`,
    runtime: `postgres://${LOCAL_RUNTIME_ROLE}:${encodeURIComponent(runtimePassword)}${at}`,
    pgdata: cluster.pgdata,
    relocated: cluster.relocated,
  };
}

function redisAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

async function ensureLocalRedis(notes: string[], ownPort: number): Promise<string> {
  for (const [port, whose] of [
    [SHARED_REDIS_PORT, 'already running'],
    [ownPort, "this checkout's, already running"],
  ] as const) {
    if (await redisAnswers(port)) {
      notes.push(`Redis ${whose} on 127.0.0.1:${port}`);
      return `redis://127.0.0.1:${port}`;
    }
  }
  if (spawnSync('redis-server', ['--version']).error) {
    throw new LocalSetupError(
      'Redis is not running and redis-server is not installed: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL',
    );
  }
  // On this checkout's own port, not 6379: a second checkout must not find it and lose it when this one stops.
  const dir = join(DATA_DIR, 'redis');
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(ownPort), '--dir', dir, '--appendonly', 'yes', '--save', '60 1'],
    { stdio: 'ignore' },
  );
  process.once('exit', () => child.kill('SIGTERM'));
  for (let i = 0; i < 50; i += 1) {
    if (await redisAnswers(ownPort)) {
      notes.push(`redis-server started on 127.0.0.1:${ownPort}, data in ${dir}`);
      return `redis://127.0.0.1:${ownPort}`;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new LocalSetupError(`redis-server was started but did not answer on 127.0.0.1:${ownPort}`);
}

export class LocalSetupError extends Error {}
