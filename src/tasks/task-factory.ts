import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../core/config/app-config';
import { Outbox } from '../core/queue/outbox';
import { DEFAULT_SCHEDULE, SchedulePolicy, taskSchedule } from './task-schedule';
import { Task } from './task.entity';

export type NewTask = Pick<Task, 'caseId' | 'kind' | 'title' | 'dueAt' | 'assigneeId' | 'origin'> &
  Partial<Pick<Task, 'priority' | 'originKey' | 'createdBy' | 'referralId' | 'reports'>>;

/** The one way a task comes into being, with its reminders and escalation (jobs.md). */
@Injectable()
export class TaskFactory {
  constructor(
    private readonly outbox: Outbox,
    private readonly config: AppConfig,
  ) {}

  get schedulePolicy(): SchedulePolicy {
    return {
      ...DEFAULT_SCHEDULE,
      reminderOffsetsMinutes: this.config.TASK_REMINDER_OFFSETS_MINUTES,
      escalateAfterMinutes: this.config.TASK_ESCALATE_AFTER_MINUTES,
      escalateSafetyCheckAfterMinutes: this.config.SAFETY_CHECK_ESCALATE_AFTER_MINUTES,
    };
  }

  /**
   * Creates a task and puts its reminders and escalation on the outbox, in
   * the caller's transaction. A rule's task has an origin key: making it again
   * is a no-op (returns null).
   */
  async createTask(m: EntityManager, data: NewTask): Promise<Task | null> {
    const inserted = (await m
      .createQueryBuilder()
      .insert()
      .into(Task)
      .values({ ...data, priority: data.priority ?? 'normal', status: 'open', dueSetAt: new Date() })
      .orIgnore()
      .returning('*')
      .execute()) as { raw: Record<string, unknown>[] };
    if (inserted.raw.length === 0) return null;
    const task = await m.getRepository(Task).findOneByOrFail({ id: inserted.raw[0].id as string });
    await this.schedule(m, task);
    return task;
  }

  /** The task's jobs, through the outbox (again after its due time moves: new ids). */
  async schedule(m: EntityManager, task: Task): Promise<void> {
    await this.outbox.add(m, taskSchedule(task, this.schedulePolicy));
  }
}
