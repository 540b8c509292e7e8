import { Queue } from 'bullmq';
import { Client } from 'pg';
import { redisConnection } from '../../src/core/queue/queue.module';
import { QueueName } from '../../src/core/queue/jobs';
import { taskEventKeys } from '../../src/tasks/task-schedule';
import { openCase } from '../support/cases';
import { TEST_DATABASE_URL } from '../support/env';
import { call, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/worker';

/**
 * issue 10, item 3: jobs that exhaust their retries while PostgreSQL is away
 * sit in BullMQ's failed set, where the sweep's add under the same id did
 * nothing. The retry budget is shortened through configuration, so the
 * outage can be a few seconds instead of four minutes.
 */
describe('due work whose job failed for good during a database outage', () => {
  let t: TestApp;
  let w: World;
  let admin: Client;
  let queue: Queue;
  beforeAll(async () => {
    t = await startTestApp({
      WORKER_MODE: 'embedded',
      RECONCILE_EVERY_MS: '1000',
      JOB_ATTEMPTS: '2',
      JOB_BACKOFF_MS: '100',
    });
    w = await createWorld(t);
    admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    queue = new Queue(QueueName.Tasks, {
      connection: redisConnection(t.config.REDIS_URL),
      prefix: `${t.config.REDIS_PREFIX}:bull`,
    });
  });
  afterAll(async () => {
    await admin?.query(`ALTER DATABASE "${t.database.name}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await queue?.close();
    await t?.close();
  });

  /** PostgreSQL away for this test's database: no new connections, the open ones cut. */
  const stopDatabase = async () => {
    await admin.query(`ALTER DATABASE "${t.database.name}" ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [t.database.name]);
  };
  const startDatabase = () => admin.query(`ALTER DATABASE "${t.database.name}" ALLOW_CONNECTIONS true`);
  const countEvent = async (key: string) =>
    (await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE event_key = $1`, [key]))[0].n as number;

  it('is revived by the sweep after recovery and delivered exactly once', async () => {
    const { case: c } = await openCase(t, w.counselorA);
    const due = new Date(Date.now() + 2500);
    const created = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/cases/${c.id}/tasks`,
      payload: { kind: 'callback', title: '折り返し', dueAt: due.toISOString(), assigneeId: w.counselorA.id },
    });
    expect(created.statusCode).toBe(201);
    const key = taskEventKeys.reminder(created.json().id, due.getTime(), 0);
    await waitFor(async () => (await queue.getJobState(key)) === 'delayed', 10_000);

    await stopDatabase();
    try {
      // The job comes due while the database is away and uses up its attempts.
      await waitFor(async () => (await queue.getJobState(key)) === 'failed', 20_000, 100);
    } finally {
      await startDatabase();
    }

    await waitFor(async () => (await countEvent(key)) > 0, 20_000, 200);
    // Later sweeps find it delivered and leave it alone.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await countEvent(key)).toBe(1);
    expect(await queue.getJobState(key)).toBe('completed');
  }, 60_000);
});
