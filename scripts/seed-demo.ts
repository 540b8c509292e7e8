import { DomainEvents } from '../src/core/events/domain-events';
import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { AuditLog } from '../src/audit/audit.service';
import { AppConfig, ConfigError, loadConfig } from '../src/core/config/app-config';
import { databaseOptions } from '../src/core/database/database-options';
import { DomainError } from '../src/core/errors/domain-error';
import { checkoutDefaults, LocalSetupError, prepareLocalEnvironment } from '../src/core/local/local-environment';
import { loadDemoData } from '../src/demo/demo-data';
import { UsersService } from '../src/directory/users.service';

/**
 * `npm run seed:demo`: load the demo districts, organizations and users into
 * the database the service uses (idempotent). Run it with the service's
 * environment; with no DATABASE_URL outside production it uses the local
 * embedded PostgreSQL, like `npm start`.
 */
async function main(): Promise<void> {
  const { db, where } = await openScriptDatabase(process.env);
  try {
    const result = await loadDemoData(
      db,
      new UsersService(db, new AuditLog(), DomainEvents.withoutHandlers()),
      new AuditLog(),
    );
    if (result.created && result.counts) {
      const c = result.counts;
      const skipped = result.skippedUsernames?.length
        ? `; usernames already taken, left alone: ${result.skippedUsernames.join(', ')}`
        : '';
      console.log(
        `Demo data loaded into ${where}: ${c.districts} districts, ${c.organizations} organizations, ${c.users} users, ` +
          `${c.memberships} memberships, ${c.supervisions} supervisions${skipped}`,
      );
    } else {
      console.log(`Demo data already present in ${where}; nothing changed`);
    }
  } finally {
    await db.destroy();
  }
}

/**
 * The scripts use only the database. These stand in for the settings they
 * never touch, so that the configuration validates without them (and so that
 * prepareLocalEnvironment does not start a Redis or write a JWT secret).
 */
const UNUSED_BY_SCRIPTS = {
  REDIS_URL: 'redis://unused-by-scripts.invalid:6379',
  JWT_SECRET: 'unused-by-scripts-unused-by-scripts',
};

export interface ScriptDatabase {
  config: AppConfig;
  /** Migrated and initialized. */
  db: DataSource;
  /** host:port/database, for messages (never the password). */
  where: string;
}

/**
 * The database of a command-line script, with the service's rules: the
 * validated configuration, and outside production without a DATABASE_URL the
 * local embedded PostgreSQL under .data/. When `npm start` already runs that
 * cluster (its port answers), the script connects to it rather than starting
 * a second one on the same data directory, which would fail. Pending
 * migrations run first (unless MIGRATIONS_RUN=false), as at the service's start.
 */
export async function openScriptDatabase(processEnv: NodeJS.ProcessEnv): Promise<ScriptDatabase> {
  const env: NodeJS.ProcessEnv = { ...processEnv };
  env.REDIS_URL ||= UNUSED_BY_SCRIPTS.REDIS_URL;
  env.JWT_SECRET ||= UNUSED_BY_SCRIPTS.JWT_SECRET;
  if (!env.DATABASE_URL && env.NODE_ENV !== 'production') {
    env.DATABASE_URL = (await runningEmbeddedPostgres(env)) ?? undefined;
    if (!env.DATABASE_URL) await prepareLocalEnvironment(env);
  }
  const config = loadConfig(env);
  const db = new DataSource(databaseOptions(config.DATABASE_URL, { poolSize: 2 }));
  await db.initialize();
  try {
    if (config.MIGRATIONS_RUN) await db.runMigrations({ transaction: 'each' });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const url = new URL(config.DATABASE_URL);
  return { config, db, where: `${url.host}${url.pathname}` };
}

/** The URL of the embedded PostgreSQL of a running `npm start`, or null when none answers. */
async function runningEmbeddedPostgres(env: NodeJS.ProcessEnv): Promise<string | null> {
  // The same defaults as src/core/local/local-environment.ts: the port is derived from the checkout.
  const dataDir = resolve(env.TSUNAGU_DATA_DIR ?? '.data');
  const port = Number(env.EMBEDDED_PG_PORT ?? checkoutDefaults(dataDir).pgPort);
  const passwordFile = join(dataDir, 'postgres-password');
  if (!(await portAnswers(port))) return null;
  if (!existsSync(passwordFile)) {
    throw new LocalSetupError(
      `Something answers on 127.0.0.1:${port} but ${passwordFile} does not exist, so it is not the local embedded PostgreSQL: set DATABASE_URL`,
    );
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/tsunagu`;
}

function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const finish = (open: boolean) => {
      socket.destroy();
      done(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => finish(true));
  });
}

/** One line on stderr for what an operator can fix; the whole error (with its stack) otherwise. */
export function reportScriptError(what: string, error: unknown): void {
  if (error instanceof ConfigError) {
    console.error(`${what}: invalid configuration: ${error.problems.join('; ')}`);
  } else if (error instanceof LocalSetupError || error instanceof DomainError || isConnectionError(error)) {
    console.error(`${what}: ${error.message}`);
  } else {
    console.error(`${what}:`, error);
  }
}

/** node-postgres and socket errors carry a code (ECONNREFUSED, 28P01, 3D000 ...); their message says it all. */
function isConnectionError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^(E[A-Z]+|08...|28...|3D000)$/.test(code);
}

// process.exit also stops an embedded PostgreSQL this script started (its
// exit hook), which would otherwise keep the process alive.
if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      reportScriptError('seed:demo', error);
      process.exit(1);
    },
  );
}
