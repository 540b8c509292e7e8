import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../access/policy';
import { CaseChange, CaseHooks } from '../cases/case-hooks';
import type { Case } from '../cases/case.entity';
import type { Consultation } from '../cases/consultation.entity';
import { AppConfig } from '../core/config/app-config';
import { Outbox } from '../core/queue/outbox';
import { Notifications } from '../notifications/notifications.service';
import { DEFAULT_SCHEDULE, SchedulePolicy, taskSchedule } from './task-schedule';
import { Task } from './task.entity';

const HOUR = 3_600_000;
/** 48-hour rule (48時間ルール, domain.md): safety confirmed within 48 h of receipt. */
export const SAFETY_CHECK_HOURS = 48;

export type NewTask = Pick<Task, 'caseId' | 'kind' | 'title' | 'dueAt' | 'assigneeId' | 'origin'> &
  Partial<Pick<Task, 'priority' | 'originKey' | 'createdBy' | 'referralId'>>;

/**
 * The rules the system runs on its own (domain.md, "Rules the system runs on
 * its own"), applied inside the transaction of the change that triggers them.
 */
@Injectable()
export class TaskRules extends CaseHooks {
  constructor(
    private readonly outbox: Outbox,
    private readonly notifications: Notifications,
    private readonly config: AppConfig,
  ) {
    super();
  }

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

  /** 48-hour rule: an abuse consultation or an abuse notification starts a safety check. */
  async consultationRecorded(m: EntityManager, _actor: Actor, c: Case, consultation: Consultation): Promise<void> {
    if (consultation.consultationType !== 'abuse' && !consultation.abuseNotification) return;
    await this.startSafetyCheck(m, c, consultation.occurredAt, `consultation:${consultation.id}`, c.number);
  }

  /**
   * A `safety_check` due 48 h after the time of receipt, for the case's
   * counselor or else the district lead. Also used for incoming abuse
   * notifications (通告) by the referrals module.
   */
  async startSafetyCheck(
    m: EntityManager,
    c: Case,
    receivedAt: Date,
    source: string,
    caseNumber: string,
  ): Promise<Task | null> {
    const assigneeId =
      c.primaryCounselorId ?? (await this.districtLead(m, c.districtId)) ?? (await this.anySupervisor(m, c.districtId));
    if (!assigneeId) return null;
    return this.createTask(m, {
      caseId: c.id,
      kind: 'safety_check',
      title: `安全確認（48時間ルール）${caseNumber}`,
      dueAt: new Date(receivedAt.getTime() + SAFETY_CHECK_HOURS * HOUR),
      assigneeId,
      priority: 'urgent',
      origin: 'rule_48h',
      originKey: `safety_check:${source}`,
    });
  }

  async caseChanged(m: EntityManager, _actor: Actor, c: Case, change: CaseChange): Promise<void> {
    if (change.newAssignees?.length) {
      for (const userId of change.newAssignees) {
        await this.notifications.deliver(m, [userId], {
          eventKey: `case-assigned:${c.id}:${change.eventId ?? c.version}`,
          kind: 'case_assigned',
          title: `ケース ${c.number} の担当になりました`,
          caseId: c.id,
        });
      }
    }
    await this.ensureReview(m, c);
  }

  /**
   * Progress reviews (進行管理): a case registered with the council, or in
   * monitoring, always has an open `review` task; the next one is due a cycle
   * after now (per registration category).
   */
  async ensureReview(m: EntityManager, c: Case): Promise<Task | null> {
    const months = this.reviewCycleOf(c);
    if (months === null) return null;
    const [reviews] = (await m.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'open')::int AS open
         FROM tasks WHERE case_id = $1 AND kind = 'review'`,
      [c.id],
    )) as { total: number; open: number }[];
    if (reviews.open > 0) return null;
    const assigneeId =
      c.primaryCounselorId ?? (await this.districtLead(m, c.districtId)) ?? (await this.anySupervisor(m, c.districtId));
    if (!assigneeId) return null;
    const due = new Date();
    due.setUTCMonth(due.getUTCMonth() + months);
    return this.createTask(m, {
      caseId: c.id,
      kind: 'review',
      title: `進行管理の見直し ${c.number}`,
      dueAt: due,
      assigneeId,
      origin: 'review',
      // The n-th review of the case: two racing sweeps cannot both make it.
      originKey: `review:${c.id}:${reviews.total + 1}`,
    });
  }

  reviewCycleOf(c: Pick<Case, 'status' | 'protection'>): number | null {
    if (c.status === 'closed' || c.status === 'intake') return null;
    const cycles = this.config.reviewCycleMonths;
    if (c.protection !== 'none') return cycles[c.protection];
    if (c.status === 'monitoring') return cycles.monitoring;
    return null;
  }

  async districtLead(m: EntityManager, districtId: string | null): Promise<string | null> {
    if (!districtId) return null;
    const [row] = (await m.query(
      `SELECT dm.user_id FROM current_district_members dm JOIN users u ON u.id = dm.user_id
        WHERE dm.district_id = $1 AND dm.role = 'lead' AND u.active LIMIT 1`,
      [districtId],
    )) as { user_id: string }[];
    return row?.user_id ?? null;
  }

  private async anySupervisor(m: EntityManager, districtId: string | null): Promise<string | null> {
    return (await this.notifications.supervisorsOf(m, districtId))[0] ?? null;
  }
}
