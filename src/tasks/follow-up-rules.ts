import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CaseAssigned, CaseChanged, ConsultationRecorded } from '../cases/case.events';
import type { Case } from '../cases/case.entity';
import { AppConfig } from '../core/config/app-config';
import { OnDomainEvent } from '../core/events/domain-events';
import { responsibleFor } from '../directory/staffing';
import { Notifications } from '../notifications/notifications.service';
import { TaskFactory } from './task-factory';
import { Task } from './task.entity';

const HOUR = 3_600_000;
/** 48-hour rule (48時間ルール, domain.md): safety confirmed within 48 h of receipt. */
export const SAFETY_CHECK_HOURS = 48;

/**
 * The rules the system runs on its own (domain.md, "Rules the system runs on
 * its own"), applied inside the transaction of the change that triggers them.
 */
@Injectable()
export class FollowUpRules {
  constructor(
    private readonly tasks: TaskFactory,
    private readonly notifications: Notifications,
    private readonly config: AppConfig,
  ) {}

  /** 48-hour rule: an abuse consultation or an abuse notification starts a safety check. */
  @OnDomainEvent(ConsultationRecorded)
  async onConsultationRecorded(m: EntityManager, { caseRecord: c, consultation }: ConsultationRecorded): Promise<void> {
    if (consultation.consultationType !== 'abuse' && !consultation.abuseNotification) return;
    await this.startSafetyCheck(m, c, consultation.occurredAt, `consultation:${consultation.id}`);
  }

  /**
   * A `safety_check` due 48 h after the time of receipt, for whoever is
   * responsible for the case. Also used for incoming abuse notifications
   * (通告) by the referrals module.
   */
  async startSafetyCheck(m: EntityManager, c: Case, receivedAt: Date, source: string): Promise<Task | null> {
    const assigneeId = await responsibleFor(m, c);
    if (!assigneeId) return null;
    return this.tasks.createTask(m, {
      caseId: c.id,
      kind: 'safety_check',
      title: `安全確認（48時間ルール）${c.number}`,
      dueAt: new Date(receivedAt.getTime() + SAFETY_CHECK_HOURS * HOUR),
      assigneeId,
      priority: 'urgent',
      origin: 'rule_48h',
      originKey: `safety_check:${source}`,
    });
  }

  /** Assignment: a counselor newly assigned to a case is notified. */
  @OnDomainEvent(CaseAssigned)
  async onCaseAssigned(m: EntityManager, { caseRecord: c, newAssignees, eventId }: CaseAssigned): Promise<void> {
    for (const userId of newAssignees) {
      await this.notifications.deliver(m, [userId], {
        eventKey: `case-assigned:${c.id}:${eventId}`,
        kind: 'case_assigned',
        title: `ケース ${c.number} の担当になりました`,
        caseId: c.id,
      });
    }
  }

  @OnDomainEvent(CaseChanged)
  async onCaseChanged(m: EntityManager, { caseRecord: c }: CaseChanged): Promise<void> {
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
    const assigneeId = await responsibleFor(m, c);
    if (!assigneeId) return null;
    const due = new Date();
    due.setUTCMonth(due.getUTCMonth() + months);
    return this.tasks.createTask(m, {
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
}
