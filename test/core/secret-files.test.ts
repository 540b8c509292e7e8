import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/core/config/app-config';

/** Issue 12, part 5: every secret can come from a file (Docker or Kubernetes secrets). */
describe('secrets from *_FILE', () => {
  let dir: string;
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const base = { REDIS_URL: 'redis://h:6379' };
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    return '';
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsunagu-secrets-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads whole values, dropping the one trailing newline', () => {
    const config = loadConfig({
      ...base,
      DATABASE_URL_FILE: file('db-url', 'postgres://app:s3cret@db:5432/tsunagu\n'),
      JWT_SECRET_FILE: file('jwt', `${'j'.repeat(40)}\n`),
      AUDIT_ANCHOR_KEY_FILE: file('anchor', 'a'.repeat(40)),
      METRICS_TOKEN_FILE: file('metrics', 'm'.repeat(20) + '\n'),
    });
    expect(config.DATABASE_URL).toBe('postgres://app:s3cret@db:5432/tsunagu');
    expect(config.JWT_SECRET).toBe('j'.repeat(40));
    expect(config.AUDIT_ANCHOR_KEY).toBe('a'.repeat(40));
    expect(config.METRICS_TOKEN).toBe('m'.repeat(20));
  });

  it('puts a password file into its URL, escaped', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://tsunagu_app@db:5432/tsunagu',
      DATABASE_PASSWORD_FILE: file('db-pw', 'p@ss:w/rd\n'),
      MIGRATION_DATABASE_URL: 'postgres://tsunagu_owner@db:5432/tsunagu',
      MIGRATION_DATABASE_PASSWORD_FILE: file('owner-pw', 'owner-pw'),
      REDIS_URL: 'redis://redis:6379',
      REDIS_PASSWORD_FILE: file('redis-pw', 'r3dis'),
      JWT_SECRET: 'x'.repeat(32),
    });
    expect(config.DATABASE_URL).toBe('postgres://tsunagu_app:p%40ss%3Aw%2Frd@db:5432/tsunagu');
    expect(decodeURIComponent(new URL(config.DATABASE_URL).password)).toBe('p@ss:w/rd');
    expect(config.migrationDatabaseUrl).toBe('postgres://tsunagu_owner:owner-pw@db:5432/tsunagu');
    expect(config.REDIS_URL).toBe('redis://:r3dis@redis:6379');
  });

  it('refuses a name set twice, an unreadable file, and a password file without its URL', () => {
    const jwt = file('jwt2', 'y'.repeat(40));
    const both = problemsOf({
      ...base,
      DATABASE_URL: 'postgres://u@h/db',
      JWT_SECRET: 'x'.repeat(32),
      JWT_SECRET_FILE: jwt,
    });
    expect(both).toContain('set JWT_SECRET or JWT_SECRET_FILE, not both');
    const missing = problemsOf({ ...base, DATABASE_URL: 'postgres://u@h/db', JWT_SECRET_FILE: join(dir, 'nope') });
    expect(missing).toContain(`JWT_SECRET_FILE: cannot read ${join(dir, 'nope')} (ENOENT)`);
    expect(missing).toContain('JWT_SECRET is required');
    const orphan = problemsOf({ ...base, JWT_SECRET: 'x'.repeat(32), DATABASE_PASSWORD_FILE: file('pw', 'pw') });
    expect(orphan).toContain('DATABASE_PASSWORD_FILE needs DATABASE_URL');
    const twice = problemsOf({
      ...base,
      JWT_SECRET: 'x'.repeat(32),
      DATABASE_URL: 'postgres://u:inline@h/db',
      DATABASE_PASSWORD_FILE: file('pw2', 'pw'),
    });
    expect(twice).toContain('DATABASE_URL has a password already');
  });
});
