import { Queue } from 'bullmq';
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { redisConnection } from '../../src/core/queue/queue.module';
import { QueueName } from '../../src/core/queue/jobs';
import { taskEventKeys } from '../../src/tasks/task-schedule';
import { openCase } from '../support/cases';
import { call, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { spawnWorker, stopped, waitFor } from '../support/worker';

const countEvent = async (t: TestApp, eventKey: string) =>
  (await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE event_key = $1`, [eventKey]))[0].n as number;

async function createTask(t: TestApp, w: World, dueInMs: number) {
  const { case: c } = await openCase(t, w.counselorA);
  const due = new Date(Date.now() + dueInMs);
  const res = await call(t, w.counselorA, {
    method: 'POST',
    url: `/api/v1/cases/${c.id}/tasks`,
    payload: { kind: 'callback', title: '折り返し', dueAt: due.toISOString(), assigneeId: w.counselorA.id },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return { id: res.json().id as string, due };
}

describe('a worker killed in the middle of a job (jobs.md)', () => {
  let t: TestApp;
  let w: World;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    // The API only; the workers are separate processes.
    t = await startTestApp({ WORKER_MODE: 'off' });
    w = await createWorld(t);
  });
  afterAll(async () => {
    for (const child of workers) child.kill('SIGKILL');
    await Promise.all(workers.map(stopped));
    await t?.close();
  });

  it('does not produce a second notification after a restart', async () => {
    // Worker 1 commits the notification, then hangs before BullMQ hears the job finished.
    const first = await spawnWorker(t.config, { TEST_HOLD_AFTER_JOB_MS: '600000' });
    workers.push(first);
    const task = await createTask(t, w, 1500);
    const key = taskEventKeys.reminder(task.id, task.due.getTime(), 0);
    await waitFor(async () => (await countEvent(t, key)) > 0, 20_000);
    first.kill('SIGKILL');
    await stopped(first);

    const queue = new Queue(QueueName.Tasks, {
      connection: redisConnection(t.config.REDIS_URL),
      prefix: `${t.config.REDIS_PREFIX}:bull`,
    });
    try {
      expect(await (await queue.getJob(key))!.getState()).toBe('active'); // Redis still thinks it is running
      // Worker 2 takes the job over once the dead worker's lock expires, and runs it again.
      workers.push(await spawnWorker(t.config));
      await waitFor(async () => (await (await queue.getJob(key))?.getState()) === 'completed', 30_000, 250);
      expect(await countEvent(t, key)).toBe(1);
      expect((await queue.getJob(key))!.attemptsStarted).toBeGreaterThanOrEqual(2);
    } finally {
      await queue.close();
    }
  }, 90_000);
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('Redis flushed while tasks are open (jobs.md)', () => {
  let t: TestApp;
  let w: World;
  let redis: ChildProcess;
  let port: number;
  beforeAll(async () => {
    // A Redis of this test's own, so FLUSHALL touches nobody else.
    port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'pipe',
    });
    await new Promise<void>((resolve) =>
      redis.stdout!.on('data', (d: Buffer) => d.toString().includes('Ready to accept') && resolve()),
    );
    t = await startTestApp({
      WORKER_MODE: 'embedded',
      REDIS_URL: `redis://127.0.0.1:${port}`,
      RECONCILE_EVERY_MS: '1500',
    });
    w = await createWorld(t);
  });
  afterAll(async () => {
    await t?.close();
    redis?.kill('SIGKILL');
  });

  it('loses nothing once the sweep has run', async () => {
    const soon = await createTask(t, w, 5000);
    const later = await createTask(t, w, 9000);
    const client = new Redis(`redis://127.0.0.1:${port}`);
    try {
      // Wait until the relay has put their jobs on the queue, then wipe Redis.
      await waitFor(async () => (await client.keys('*:bull:tasks:*')).length > 0, 10_000);
      // Atomically: the embedded worker writes keys of its own (its stalled-job
      // check) at any moment, so a KEYS read after the flush can race it.
      const [flushed, remaining] = (await client.multi().flushall().keys('*:bull:*').exec())!;
      expect(flushed).toEqual([null, 'OK']);
      expect(remaining).toEqual([null, []]);
    } finally {
      client.disconnect();
    }
    for (const task of [soon, later]) {
      const key = taskEventKeys.reminder(task.id, task.due.getTime(), 0);
      await waitFor(async () => (await countEvent(t, key)) > 0, 20_000, 200);
      expect(await countEvent(t, key)).toBe(1);
    }
  }, 60_000);
});
