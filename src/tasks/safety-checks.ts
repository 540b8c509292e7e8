import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Case } from '../cases/case.entity';
import { AppConfig } from '../core/config/app-config';
import { DomainError } from '../core/errors/domain-error';
import { ReadinessDetail } from '../core/health/readiness-detail';
import { MetricSource } from '../core/metrics/metric-source';
import { formatBusinessTime } from '../core/time/business-time';
import { responsibleFor, supervisorsOf } from '../directory/staffing';
import { Notifications } from '../notifications/notifications.service';
import { TaskFactory } from './task-factory';
import { TaskHandover } from './task-handover';
import { SafetyCheckReport, Task } from './task.entity';

const HOUR = 3_600_000;
/** 48-hour rule (48時間ルール, domain.md): safety confirmed within 48 h of receipt. */
export const SAFETY_CHECK_HOURS = 48;

export interface AbuseReport {
  source: SafetyCheckReport['source'];
  sourceId: string;
  receivedAt: Date;
}

/**
 * Open safety checks whose assignee is not an active user. The handover on
 * deactivation keeps it at 0; the readiness detail and the metrics both count
 * it with this one query (raw SQL: a count over a join, loading no entity).
 */
export async function safetyChecksWithoutActiveAssignee(m: EntityManager): Promise<number> {
  const [row] = (await m.query(
    `SELECT count(*)::int AS n FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id
      WHERE t.kind = 'safety_check' AND t.status = 'open' AND u.active IS NOT TRUE`,
  )) as { n: number }[];
  return row.n;
}

/**
 * The 48-hour rule (domain.md, "Follow-up tasks"), run in the transaction of
 * the change that brings a new abuse report (an abuse intake, a consultation
 * marked as an abuse notification, an incoming notification 通告).
 */
@Injectable()
export class SafetyChecks {
  constructor(
    private readonly db: DataSource,
    private readonly tasks: TaskFactory,
    private readonly handover: TaskHandover,
    private readonly notifications: Notifications,
    private readonly config: AppConfig,
  ) {}

  /**
   * One safety check per notification: the report starts a check due 48 h
   * after receipt, or, while one is open on the case, is recorded on it (the
   * earlier due time stands). Either way the district's supervisors hear of
   * it at once, with the due time, to convene the urgent intake meeting
   * (緊急受理会議).
   */
  async reportReceived(m: EntityManager, c: Case, report: AbuseReport): Promise<Task> {
    const entry: SafetyCheckReport = {
      source: report.source,
      sourceId: report.sourceId,
      receivedAt: report.receivedAt.toISOString(),
    };
    const due = new Date(report.receivedAt.getTime() + SAFETY_CHECK_HOURS * HOUR);
    const open = await m.getRepository(Task).findOne({
      where: { caseId: c.id, kind: 'safety_check', status: 'open' },
      order: { dueAt: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    const task = open ? await this.attach(m, open, entry, due) : await this.start(m, c, entry, due);
    await this.notifications.deliver(m, await supervisorsOf(m, c.districtId), {
      eventKey: `abuse-reported.${report.source}.${report.sourceId}`,
      kind: 'abuse_reported',
      title: `${report.source === 'referral' ? '虐待通告' : '虐待相談'}を受理しました（${c.number}）安全確認の期限 ${formatBusinessTime(task.dueAt, this.config.TZ_BUSINESS)}`,
      caseId: c.id,
    });
    return task;
  }

  /** A new check, always with an active owner who can act on it (directory/staffing.ts). */
  private async start(m: EntityManager, c: Case, entry: SafetyCheckReport, due: Date): Promise<Task> {
    const responsible = await responsibleFor(m, c);
    // Refused rather than lost: the person recording the report hears it at once.
    if (!responsible) {
      throw new DomainError(
        'unprocessable',
        'No active supervisor in the center can take the 48-hour safety check; an administrator must give the center a supervisor first',
      );
    }
    const originKey = `safety_check:${entry.source}:${entry.sourceId}`;
    const created = await this.tasks.createTask(m, {
      caseId: c.id,
      kind: 'safety_check',
      title: `安全確認（48時間ルール）${c.number}`,
      dueAt: due,
      assigneeId: responsible.userId,
      priority: 'urgent',
      origin: 'rule_48h',
      originKey,
      reports: [entry],
    });
    // The same report again (a replay): its check already exists.
    const task = created ?? (await m.getRepository(Task).findOneByOrFail({ originKey }));
    if (created && responsible.fallback) await this.handover.tellFallback(m, task, c);
    return task;
  }

  private async attach(m: EntityManager, open: Task, entry: SafetyCheckReport, due: Date): Promise<Task> {
    if (open.reports.some((r) => r.source === entry.source && r.sourceId === entry.sourceId)) return open;
    open.reports = [...open.reports, entry];
    // A report received earlier than the check's own (registered late) brings it forward; it never moves later.
    const earlier = due < open.dueAt;
    if (earlier) {
      open.dueAt = due;
      open.dueSetAt = new Date();
    }
    open.updatedAt = new Date();
    const saved = await m.getRepository(Task).save(open);
    if (earlier) await this.tasks.schedule(m, saved);
    return saved;
  }

  @MetricSource({ name: 'tsunagu_safety_checks_open', help: 'Open safety checks (48-hour rule), overdue or not' })
  async openCount(): Promise<number> {
    return this.countOpen('true');
  }

  @MetricSource({ name: 'tsunagu_safety_checks_overdue', help: 'Open safety checks past their due time' })
  async overdueCount(): Promise<number> {
    return this.countOpen('t.due_at < now()');
  }

  @MetricSource({
    name: 'tsunagu_safety_checks_without_active_assignee',
    help: 'Open safety checks whose assignee is not an active user (the handover keeps it at 0)',
  })
  async withoutActiveAssigneeCount(): Promise<number> {
    return safetyChecksWithoutActiveAssignee(this.db.manager);
  }

  private async countOpen(condition: 'true' | 't.due_at < now()'): Promise<number> {
    const [row] = (await this.db.query(
      `SELECT count(*)::int AS n FROM tasks t WHERE t.kind = 'safety_check' AND t.status = 'open' AND ${condition}`,
    )) as { n: number }[];
    return row.n;
  }

  @ReadinessDetail('followUps')
  async readiness(): Promise<Record<string, number>> {
    return { safetyChecksWithoutActiveAssignee: await safetyChecksWithoutActiveAssignee(this.db.manager) };
  }
}
