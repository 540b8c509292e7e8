import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app';
import { AppConfig, loadConfig } from '../../src/core/config/app-config';
import { databaseUrl, TEST_DATABASE_URL, TEST_REDIS_URL, templateDatabase, testDatabasePrefix } from './env';

export interface TestDatabase {
  name: string;
  /** As the owner (what migrations run as). */
  url: string;
  /** As the service's role, which owns nothing. */
  runtimeUrl: string;
  drop(): Promise<void>;
}

/** A database of this test file's own, cloned from the migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${testDatabasePrefix()}${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase()}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: databaseUrl(name),
    runtimeUrl: databaseUrl(name, { runtime: true }),
    async drop() {
      const c = new Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Deletes every Redis key under a prefix (a test file's private namespace). */
export async function clearRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
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

export function testConfig(database: TestDatabase, prefix: string, env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.runtimeUrl,
    MIGRATION_DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    AUDIT_ANCHOR_KEY: 'test-anchor-key-test-anchor-key-0123456',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOG_PRETTY: 'false',
    MIGRATIONS_RUN: 'false',
    WORKER_MODE: 'off',
    LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
    ...env,
  });
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  db: DataSource;
  database: TestDatabase;
  prefix: string;
  close(): Promise<void>;
}

/**
 * Boots the real application against its own database and Redis prefix.
 * `env` overrides configuration (WORKER_MODE=embedded to run jobs in-process).
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const config = testConfig(database, prefix, env);
  const app = await createApp(config);
  return {
    app,
    config,
    db: app.get(DataSource),
    database,
    prefix,
    async close() {
      await app.close();
      await database.drop();
      await clearRedisPrefix(prefix);
    },
  };
}

/** A connection to a test app's database as the owner (a superuser in tests): what an intruder with the owner's credentials could do. */
export async function ownerDataSource(t: Pick<TestApp, 'database'>): Promise<DataSource> {
  const owner = new DataSource({ type: 'postgres', url: t.database.url, extra: { max: 1 } });
  return owner.initialize();
}
