/** Where the tests find the real PostgreSQL and Redis (.ci/run starts them). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Each `npm test` run migrates a template of its own, named after the Jest
 * parent process, so two runs on one server (a developer and CI) never touch
 * each other's databases. Global setup exports the name to the workers.
 */
export const RUN_ID = process.env.TSUNAGU_TEST_RUN ?? String(process.pid);
export const templateDatabase = (runId = RUN_ID) => `tsunagu_tpl_${runId}`;
export const testDatabasePrefix = (runId = RUN_ID) => `tsunagu_t_${runId}_`;

/**
 * The role the service runs as in tests: it owns nothing (issue 11, item 8),
 * like production's. Created once per server by the global setup; the
 * migrations (as TEST_DATABASE_URL's user, the owner) grant it its rights.
 */
export const TEST_RUNTIME_ROLE = process.env.TEST_RUNTIME_ROLE ?? 'tsunagu_test_runtime';

/** A database's URL as the owner, or (`runtime`) as the service's role. */
export function databaseUrl(database: string, options: { runtime?: boolean } = {}): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  if (options.runtime) {
    url.username = encodeURIComponent(TEST_RUNTIME_ROLE);
    url.password = '';
  }
  return url.toString();
}
