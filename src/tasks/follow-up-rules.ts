import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CaseAssigned, CaseChanged, ConsultationRecorded } from '../cases/case.events';
import type { Case } from '../cases/case.entity';
import { AppConfig } from '../core/config/app-config';
import { OnDomainEvent } from '../core/events/domain-events';
import { responsibleFor } from '../directory/staffing';
import { Notifications } from '../notifications/notifications.service';
import { SafetyChecks } from './safety-checks';
import { TaskHandover } from './task-handover';
import { NewTask, TaskFactory } from './task-factory';
import { Task } from './task.entity';

/**
 * The rules the system runs on its own (domain.md, "Rules the system runs on
 * its own"), applied inside the transaction of the change that triggers them.
 */
@Injectable()
export class FollowUpRules {
  constructor(
    private readonly tasks: TaskFactory,
    private readonly safetyChecks: SafetyChecks,
    private readonly handover: TaskHandover,
    private readonly notifications: Notifications,
    private readonly config: AppConfig,
  ) {}

  /**
   * 48-hour rule: a new abuse report starts a safety check (or is recorded on
   * the open one). A report is an intake of type abuse, or any consultation
   * marked as an abuse notification; a later contact on a known abuse case
   * (a follow-up home visit) starts no new clock.
   */
  @OnDomainEvent(ConsultationRecorded)
  async onConsultationRecorded(
    m: EntityManager,
    { caseRecord: c, consultation, arrival }: ConsultationRecorded,
  ): Promise<void> {
    const abuseIntake = consultation.consultationType === 'abuse' && arrival !== 'contact';
    if (!abuseIntake && !consultation.abuseNotification) return;
    await this.safetyChecks.reportReceived(m, c, {
      source: 'consultation',
      sourceId: consultation.id,
      receivedAt: consultation.occurredAt,
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
   * after now (per registration category). A review nobody of the case's
   * district could take goes to a supervisor of the center, and every
   * supervisor hears of it, as for a safety check (task_fallback).
   */
  async ensureReview(m: EntityManager, c: Case): Promise<Task | null> {
    const months = this.reviewCycleOf(c);
    if (months === null) return null;
    // Raw SQL: two counts (FILTER) in one statement, loading no task.
    const [reviews] = (await m.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'open')::int AS open
         FROM tasks WHERE case_id = $1 AND kind = 'review'`,
      [c.id],
    )) as { total: number; open: number }[];
    if (reviews.open > 0) return null;
    const responsible = await responsibleFor(m, c);
    if (!responsible) return null;
    const due = new Date();
    due.setUTCMonth(due.getUTCMonth() + months);
    const task = await this.tasks.createTask(m, {
      caseId: c.id,
      kind: 'review',
      title: `進行管理の見直し ${c.number}`,
      dueAt: due,
      assigneeId: responsible.userId,
      origin: 'review',
      // The n-th review of the case: two racing sweeps cannot both make it.
      originKey: `review:${c.id}:${reviews.total + 1}`,
    });
    // Only the sweep that made it tells (a racing one got null).
    if (task && responsible.fallback) await this.handover.tellFallback(m, task, c);
    return task;
  }

  /**
   * A review decided for a date: a conference's or a support plan's next
   * review (domain.md rule 6; docs/domain.md, "Support plans") becomes a
   * `review` task for whoever is responsible for the case (the chain of
   * directory/staffing.ts: an active primary counselor, a lead who may open
   * it, a supervisor of its district, at last one of the center, who all hear
   * of it), and for whoever decided it only when the center has no active
   * supervisor at all. Made once per origin key.
   */
  async decidedReview(
    m: EntityManager,
    c: Case,
    review: Pick<NewTask, 'title' | 'dueAt' | 'origin'> & { originKey: string; decidedBy: string },
  ): Promise<Task | null> {
    const responsible = await responsibleFor(m, c);
    const task = await this.tasks.createTask(m, {
      caseId: c.id,
      kind: 'review',
      title: review.title,
      dueAt: review.dueAt,
      assigneeId: responsible?.userId ?? review.decidedBy,
      origin: review.origin,
      originKey: review.originKey,
      createdBy: review.decidedBy,
    });
    if (task && responsible?.fallback) await this.handover.tellFallback(m, task, c);
    return task;
  }

  reviewCycleOf(c: Pick<Case, 'status' | 'protection'>): number | null {
    if (c.status === 'closed' || c.status === 'intake') return null;
    const cycles = this.config.reviewCycleMonths;
    if (c.protection !== 'none') return cycles[c.protection];
    if (c.status === 'monitoring') return cycles.monitoring;
    return null;
  }
}
