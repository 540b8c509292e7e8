import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JobHandler } from '../core/queue/job-handler.decorator';
import { JobName, JobPayloads, TaskPoint } from '../core/queue/jobs';
import { supervisorsOf } from '../directory/staffing';
import { Notifications } from '../notifications/notifications.service';
import { taskEventKeys } from './task-schedule';

interface DueTask {
  id: string;
  kind: string;
  title: string;
  assignee_id: string;
  case_id: string;
  case_number: string;
  district_id: string | null;
}

/**
 * The handlers of the task jobs (jobs.md, "Idempotent handlers"): each
 * re-reads PostgreSQL and acts only if the task is still open and still due
 * at the time the job was made for; what it does is a notification with the
 * job's own key, so a retry after a crash never notifies twice.
 */
@Injectable()
export class TaskJobs {
  constructor(
    private readonly db: DataSource,
    private readonly notifications: Notifications,
  ) {}

  @JobHandler(JobName.TaskReminder)
  remind(p: JobPayloads[JobName.TaskReminder]): Promise<number> {
    return this.ifStillDue(p, (m, t, dueMs) =>
      this.notifications.deliver(m, [t.assignee_id], {
        eventKey: taskEventKeys.reminder(t.id, dueMs, p.offsetMinutes),
        kind: p.offsetMinutes === 0 ? 'task_due' : 'task_reminder',
        title:
          p.offsetMinutes === 0
            ? `期限です: ${t.title}（${t.case_number}）`
            : `期限まで${formatOffset(p.offsetMinutes)}: ${t.title}（${t.case_number}）`,
        caseId: t.case_id,
        taskId: t.id,
      }),
    );
  }

  @JobHandler(JobName.TaskEscalation)
  escalate(p: JobPayloads[JobName.TaskEscalation]): Promise<number> {
    return this.ifStillDue(p, async (m, t, dueMs) =>
      this.notifications.deliver(m, await supervisorsOf(m, t.district_id), {
        eventKey: taskEventKeys.escalation(t.id, dueMs),
        kind: 'task_escalated',
        title: `期限超過のエスカレーション: ${t.title}（${t.case_number}）`,
        caseId: t.case_id,
        taskId: t.id,
      }),
    );
  }

  /** 48-hour rule: the district's supervisors hear when 12 h remain and when it is overdue. */
  @JobHandler(JobName.SafetyCheckAlert)
  alertSafetyCheck(p: JobPayloads[JobName.SafetyCheckAlert]): Promise<number> {
    return this.ifStillDue(p, async (m, t, dueMs) =>
      this.notifications.deliver(m, await supervisorsOf(m, t.district_id), {
        eventKey: taskEventKeys.safetyAlert(t.id, dueMs, p.stage),
        kind: p.stage === 'overdue' ? 'safety_check_overdue' : 'safety_check_12h_left',
        title:
          p.stage === 'overdue'
            ? `48時間以内の安全確認が期限を過ぎました（${t.case_number}）`
            : `安全確認の期限まで12時間を切りました（${t.case_number}）`,
        caseId: t.case_id,
        taskId: t.id,
      }),
    );
  }

  private ifStillDue(
    p: TaskPoint,
    act: (m: EntityManager, t: DueTask, dueMs: number) => Promise<number>,
  ): Promise<number> {
    const dueMs = Date.parse(p.dueAt);
    return this.db.transaction(async (m) => {
      const [task] = (await m.query(
        `SELECT t.id, t.kind, t.title, t.assignee_id, t.case_id, c.number AS case_number, c.district_id
           FROM tasks t JOIN cases c ON c.id = t.case_id
          WHERE t.id = $1 AND t.status = 'open' AND t.due_at = $2
          FOR UPDATE OF t`,
        [p.taskId, new Date(dueMs)],
      )) as DueTask[];
      // Done, cancelled, or its due time moved: this job is stale.
      if (!task) return 0;
      return act(m, task, dueMs);
    });
  }
}

function formatOffset(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}日`;
  if (minutes % 60 === 0) return `${minutes / 60}時間`;
  return `${minutes}分`;
}
