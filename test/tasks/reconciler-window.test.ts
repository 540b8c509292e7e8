import { RedisClient } from '../../src/core/redis/redis.module';
import { Reconciler } from '../../src/tasks/reconciler.jobs';
import { openCase } from '../support/cases';
import { createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The reconciliation sweep's work follows what changed (issue 16): a full
 * pass over every open task's past points at boot and after Redis lost its
 * data; in between, only the points that came due since the previous sweep.
 */
describe('the reconciliation sweep, windowed', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    // No worker: the sweeps below are the only ones, and the jobs they enqueue stay undelivered.
    t = await startTestApp({ WORKER_MODE: 'off' });
    w = await createWorld(t);
  });
  afterAll(async () => t?.close());

  /** An open task due three days ago whose jobs were never enqueued (as if Redis lost them long ago). */
  async function longOverdueTask(): Promise<string> {
    const { case: c } = await openCase(t, w.counselorA);
    const [task] = (await t.db.query(
      `INSERT INTO tasks (case_id, kind, title, due_at, due_set_at, assignee_id, origin)
       VALUES ($1, 'callback', '折り返し', now() - interval '3 days', now() - interval '4 days', $2, 'manual')
       RETURNING id`,
      [c.id, w.counselorA.id],
    )) as { id: string }[];
    return task.id;
  }

  it('checks old points in a full pass only, and makes one again once Redis lost its marker', async () => {
    await longOverdueTask();
    const sweep = () => t.app.get(Reconciler).sweep();
    // The first sweep of a process is a full pass: the due-time reminder and the escalation of the task.
    const first = await sweep();
    expect(first.enqueued).toBeGreaterThanOrEqual(2);
    // A task lost long ago appearing now is outside the window of the next sweep.
    await longOverdueTask();
    expect((await sweep()).enqueued).toBe(0);
    // Redis lost its data (the marker with it): the next sweep is a full pass and finds the second task too.
    await t.app.get(RedisClient).del('reconciler:full-sweep');
    expect((await sweep()).enqueued).toBe(first.enqueued + 2);
  });
});
