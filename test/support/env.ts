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

export function databaseUrl(database: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
