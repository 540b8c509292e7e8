import { Queue } from 'bullmq';
import { Client } from 'pg';
import { JobName, QueueName } from '../../src/core/queue/jobs';
import { Outbox, OutboxRelay } from '../../src/core/queue/outbox';
import { redisConnection } from '../../src/core/queue/queue.module';
import { clearRedisPrefix, startTestApp, TestApp } from '../support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stopping the service (a deploy, SIGTERM) lets the background work in hand
 * finish before the connections it uses close: an outbox flush under way
 * when the stop began failed with "Connection terminated" (seen in a stop
 * during the benchmark), its jobs possibly in Redis while their rows were
 * left unsent, and the stop logged an error.
 */
describe('stopping the service', () => {
  let t: TestApp;
  let blocker: Client;

  beforeAll(async () => {
    t = await startTestApp();
    blocker = new Client({ connectionString: t.database.url });
    await blocker.connect();
  });

  afterAll(async () => {
    await blocker.end();
    await t.database.drop();
    await clearRedisPrefix(t.prefix);
  });

  it('lets an outbox flush under way finish: its job reaches the queue and its row is marked sent', async () => {
    await t.db.transaction((m) =>
      t.app.get(Outbox).add(m, [
        {
          job: JobName.TaskReminder,
          jobId: 'in-flight-at-stop',
          payload: {
            taskId: '00000000-0000-4000-8000-000000000000',
            dueAt: new Date().toISOString(),
            offsetMinutes: 0,
          },
          runAt: new Date(Date.now() + 60_000),
        },
      ]),
    );
    // Hold the flush on its first statement, so that the stop begins while it is under way.
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE');
    const flushed = t.app.get(OutboxRelay).flush();
    for (let i = 0; i < 100; i++) {
      const [{ waiting }] = (
        await blocker.query(
          `SELECT count(*)::int AS waiting FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
           WHERE c.relname = 'outbox' AND NOT l.granted`,
        )
      ).rows;
      if (waiting > 0) break;
      await sleep(20);
    }

    const stopped = t.app.close();
    await sleep(300);
    await blocker.query('COMMIT');

    await expect(flushed).resolves.toBe(1);
    await stopped;
    const { rows } = await blocker.query(`SELECT sent_at FROM outbox WHERE job_id = 'in-flight-at-stop'`);
    expect(rows).toEqual([{ sent_at: expect.any(Date) }]);
    const queue = new Queue(QueueName.Tasks, {
      connection: redisConnection(t.config.REDIS_URL),
      prefix: `${t.config.REDIS_PREFIX}:bull`,
    });
    try {
      expect(await queue.getJob('in-flight-at-stop')).toBeDefined();
    } finally {
      await queue.close();
    }
  });
});
