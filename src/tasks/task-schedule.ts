import type { OutboxJob } from '../core/queue/outbox';
import { JobName } from '../core/queue/jobs';

export interface SchedulePolicy {
  /** Minutes before the due time to remind the assignee; 0 is "due now". */
  reminderOffsetsMinutes: number[];
  /** How long a task may stay overdue before the district's supervisors hear of it. */
  escalateAfterMinutes: number;
  escalateSafetyCheckAfterMinutes: number;
}

/** domain.md: reminders 24 h and 1 h before and at the due time; escalation after 24 h (2 h for a safety check). */
export const DEFAULT_SCHEDULE: SchedulePolicy = {
  reminderOffsetsMinutes: [24 * 60, 60, 0],
  escalateAfterMinutes: 24 * 60,
  escalateSafetyCheckAfterMinutes: 2 * 60,
};

/** 48-hour rule: supervisors are alerted when 12 hours remain. */
export const SAFETY_CHECK_WARNING_MINUTES = 12 * 60;

export interface SchedulableTask {
  id: string;
  kind: string;
  dueAt: Date;
  /** When the due time was set: a reminder point before it is not sent late. */
  dueSetAt: Date;
}

const MINUTE = 60_000;

/**
 * Job ids, which are also the notifications' event keys. jobs.md writes them
 * with colons (`task-reminder:{taskId}:{dueAt}:{offset}`); BullMQ refuses
 * colons in custom ids, so the parts are joined with dots.
 */
export const taskEventKeys = {
  reminder: (taskId: string, dueMs: number, offsetMinutes: number) =>
    `task-reminder.${taskId}.${dueMs}.${offsetMinutes}`,
  escalation: (taskId: string, dueMs: number) => `task-escalation.${taskId}.${dueMs}`,
  safetyAlert: (taskId: string, dueMs: number, stage: '12h_left' | 'overdue') =>
    `safety-check-alert.${taskId}.${dueMs}.${stage}`,
};

/**
 * Every job an open task will need, each with its deterministic id
 * (`task-reminder.{taskId}.{dueAt}.{offset}`). The id is also the
 * notification's event key, so a job, a retry and the sweep all agree on
 * whether the event was delivered. Moving the due time changes every id.
 */
export function taskSchedule(
  task: SchedulableTask,
  policy: SchedulePolicy = DEFAULT_SCHEDULE,
): (OutboxJob & { runAt: Date })[] {
  const due = task.dueAt.getTime();
  const point = { taskId: task.id, dueAt: task.dueAt.toISOString() };
  const jobs: (OutboxJob & { runAt: Date })[] = [];
  for (const offset of policy.reminderOffsetsMinutes) {
    const at = due - offset * MINUTE;
    // "Due now" is always sent; earlier reminders only if still ahead when the due time was set.
    if (offset > 0 && at < task.dueSetAt.getTime()) continue;
    jobs.push({
      job: JobName.TaskReminder,
      jobId: taskEventKeys.reminder(task.id, due, offset),
      payload: { ...point, offsetMinutes: offset },
      runAt: new Date(at),
    });
  }
  const safetyCheck = task.kind === 'safety_check';
  const escalateAfter = safetyCheck ? policy.escalateSafetyCheckAfterMinutes : policy.escalateAfterMinutes;
  jobs.push({
    job: JobName.TaskEscalation,
    jobId: taskEventKeys.escalation(task.id, due),
    payload: point,
    runAt: new Date(due + escalateAfter * MINUTE),
  });
  if (safetyCheck) {
    const warning = due - SAFETY_CHECK_WARNING_MINUTES * MINUTE;
    if (warning >= task.dueSetAt.getTime()) {
      jobs.push({
        job: JobName.SafetyCheckAlert,
        jobId: taskEventKeys.safetyAlert(task.id, due, '12h_left'),
        payload: { ...point, stage: '12h_left' },
        runAt: new Date(warning),
      });
    }
    jobs.push({
      job: JobName.SafetyCheckAlert,
      jobId: taskEventKeys.safetyAlert(task.id, due, 'overdue'),
      payload: { ...point, stage: 'overdue' },
      runAt: new Date(due),
    });
  }
  return jobs;
}
