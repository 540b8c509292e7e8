import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from '../../src/core/config/app-config';
import { PASSWORD_FILE_VARIABLES, SECRET_FILE_VARIABLES } from '../../src/core/config/secret-files';

/**
 * Issue 12, part 5: docker-compose.yml, read as a parser would (there is no
 * Docker engine in CI; `.ci/run` runs `docker compose config` where there is).
 */
type Service = {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  volumes?: string[];
};
type Compose = { services: Record<string, Service>; secrets: Record<string, { file: string }> };

const ROOT = join(__dirname, '../..');
/** YAML merge keys (`<<: *app`), as compose applies them; the parser leaves them as a plain `<<` key. */
function merged(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(merged);
  if (!value || typeof value !== 'object') return value;
  const { '<<': base, ...own } = value as Record<string, unknown>;
  const bases = (Array.isArray(base) ? base : base ? [base] : []).map(merged) as Record<string, unknown>[];
  return Object.assign({}, ...bases, Object.fromEntries(Object.entries(own).map(([k, v]) => [k, merged(v)])));
}
const compose = merged(load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'))) as Compose;
const { postgres, redis, api, worker } = compose.services;
/** A command line as the container gets it: compose turns `$$` into `$`. */
const line = (words: string[] | undefined) => (words ?? []).join(' ').replaceAll('$$', '$');

describe('docker-compose.yml', () => {
  it('pins every image to a version, as the Dockerfile does', () => {
    for (const service of [postgres, redis]) expect(service.image).toMatch(/^[a-z]+:\d+\.\d+(\.\d+)?-[a-z]+$/);
    const froms = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').match(/^FROM \S+/gm) ?? [];
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(from).toMatch(/^FROM node:\d+\.\d+\.\d+-[a-z-]+$/);
  });

  it('gives Redis a password and makes its healthcheck and the services use it', () => {
    expect(line(redis.command)).toContain('--requirepass "$(cat /run/secrets/redis_password)"');
    expect(line(redis.healthcheck?.test)).toContain('REDISCLI_AUTH="$(cat /run/secrets/redis_password)"');
    for (const service of [api, worker]) {
      expect(service.environment?.REDIS_PASSWORD_FILE).toBe('/run/secrets/redis_password');
    }
  });

  it('runs the service as the role that owns nothing, migrations as the owner', () => {
    const role = (url: string | undefined) => new URL(url ?? '').username;
    expect(role(api.environment?.DATABASE_URL)).toBe('tsunagu_app');
    expect(role(worker.environment?.DATABASE_URL)).toBe('tsunagu_app');
    expect(role(api.environment?.MIGRATION_DATABASE_URL)).toBe('tsunagu');
    expect(worker.environment?.MIGRATION_DATABASE_URL).toBeUndefined();
    expect(postgres.environment?.POSTGRES_USER).toBe('tsunagu');
    const init = postgres.volumes?.find((v) => v.includes('docker-entrypoint-initdb.d'));
    const script = readFileSync(join(ROOT, init!.split(':')[0]), 'utf8');
    expect(script).toContain('role="tsunagu_app"');
    expect(script).toContain('/run/secrets/db_app_password');
  });

  it('gives the worker a healthcheck of its own (its heartbeat file)', () => {
    expect(worker.healthcheck?.disable).not.toBe(true);
    const file = worker.environment?.WORKER_HEALTH_FILE;
    expect(file).toBeTruthy();
    expect(line(worker.healthcheck?.test)).toContain(`statSync('${file}')`);
  });

  it('keeps secrets in files: every *_FILE is one the service reads, mounted in that container', () => {
    const known = new Set([...SECRET_FILE_VARIABLES.map((v) => `${v}_FILE`), ...PASSWORD_FILE_VARIABLES]);
    for (const [name, service] of Object.entries({ api, worker })) {
      const env = service.environment ?? {};
      expect({ name, anchor: env.AUDIT_ANCHOR_KEY_FILE, jwt: env.JWT_SECRET_FILE }).toEqual({
        name,
        anchor: '/run/secrets/audit_anchor_key',
        jwt: '/run/secrets/jwt_secret',
      });
      for (const [key, value] of Object.entries(env)) {
        if (key.endsWith('_FILE') && key !== 'WORKER_HEALTH_FILE') {
          expect({ key, known: known.has(key) }).toEqual({ key, known: true });
          const secret = value.replace('/run/secrets/', '');
          expect({ key, mounted: service.secrets?.includes(secret) }).toEqual({ key, mounted: true });
          expect(compose.secrets[secret]).toBeDefined();
        } else if (/SECRET|PASSWORD|TOKEN|ANCHOR_KEY/.test(key)) {
          // Only the first admin's password may come from the environment, and only by interpolation.
          expect({ key, value }).toEqual({ key, value: '${ADMIN_PASSWORD:-}' });
        }
      }
    }
  });

  it("sets an environment the service's configuration accepts in production", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsunagu-compose-'));
    try {
      for (const name of Object.keys(compose.secrets)) writeFileSync(join(dir, name), `${name}-${'x'.repeat(40)}\n`);
      for (const service of [api, worker]) {
        // Compose's own interpolation, with the defaults it would use.
        const env = Object.fromEntries(
          Object.entries(service.environment ?? {}).map(([k, v]) => [
            k,
            String(v)
              .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')
              .replace('/run/secrets/', `${dir}/`),
          ]),
        );
        const config = loadConfig(env);
        expect(config.isProduction).toBe(true);
        expect(config.JWT_SECRET).toBe(`jwt_secret-${'x'.repeat(40)}`);
        expect(decodeURIComponent(new URL(config.DATABASE_URL).password)).toBe(`db_app_password-${'x'.repeat(40)}`);
        expect(decodeURIComponent(new URL(config.REDIS_URL).password)).toBe(`redis_password-${'x'.repeat(40)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
