import { SetMetadata } from '@nestjs/common';
import { JobName } from './jobs';

export const JOB_HANDLER = Symbol('tsunagu:job-handler');

/**
 * Marks a provider method as the handler of one job. The worker finds every
 * handler at start-up and refuses to boot if a job has none, or two.
 * A handler must throw on failure: BullMQ's retries only run if it does.
 */
export const JobHandler = (job: JobName) => SetMetadata(JOB_HANDLER, job);
