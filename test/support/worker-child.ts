/**
 * A real worker process for the crash tests, run by test/support/worker.ts
 * with @swc-node/register. TEST_HOLD_AFTER_JOB_MS makes every task job wait
 * after its work has committed and before BullMQ hears it finished: the
 * window in which a crash leaves a job done in PostgreSQL but not in Redis.
 */
import 'reflect-metadata';
import { loadConfig } from '../../src/core/config/app-config';
import { TaskJobs } from '../../src/tasks/task.jobs';
import { startWorker } from '../../src/worker';

const hold = Number(process.env.TEST_HOLD_AFTER_JOB_MS ?? 0);
if (hold > 0) {
  for (const name of ['remind', 'escalate', 'alertSafetyCheck'] as const) {
    const original = Object.getOwnPropertyDescriptor(TaskJobs.prototype, name)!.value as (
      ...a: unknown[]
    ) => Promise<number>;
    const held = async function (this: TaskJobs, ...args: unknown[]) {
      const result = await original.apply(this, args);
      process.stdout.write(`job-done-holding ${result}\n`);
      await new Promise((r) => setTimeout(r, hold));
      return result;
    };
    // Keep the @JobHandler metadata, which the worker reads from the function.
    for (const key of Reflect.getMetadataKeys(original))
      Reflect.defineMetadata(key, Reflect.getMetadata(key, original), held);
    Object.defineProperty(TaskJobs.prototype, name, { value: held });
  }
}

startWorker(loadConfig(process.env))
  .then(() => process.stdout.write('worker-ready\n'))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
