import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../core/config/app-config';
import { JobHandler } from '../core/queue/job-handler.decorator';
import { JobName, JobPayloads } from '../core/queue/jobs';
import { Outbox } from '../core/queue/outbox';
import { Rescheduler } from '../notifications/rescheduler';
import { Notifications } from '../notifications/notifications.service';
import { activeStaff } from '../directory/staffing';
import { TaskFactory } from '../tasks/task-factory';
import { currentDay, DAY, overdueJob, referralOverdueKey } from './referral-deadlines';

/**
 * The referral deadline jobs (domain.md, "Referrals"): a referral past its
 * response due date with no response is overdue; the sender and staff are
 * told, a `referral_followup` task is raised for the sender, and the
 * reminder repeats daily until the referral moves.
 */
@Injectable()
export class ReferralDeadlineJobs {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    private readonly rescheduler: Rescheduler,
    private readonly notifications: Notifications,
    private readonly tasks: TaskFactory,
    private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.ReferralOverdue)
  overdue(p: JobPayloads[JobName.ReferralOverdue]): Promise<number> {
    const dueMs = Date.parse(p.dueAt);
    return this.db.transaction(async (m) => {
      const [r] = (await m.query(
        `SELECT r.id, r.case_id, r.sent_by, r.created_by, r.kind, c.number AS case_number, o.name AS organization
           FROM referrals r JOIN cases c ON c.id = r.case_id JOIN organizations o ON o.id = r.organization_id
          WHERE r.id = $1 AND r.status = 'sent' AND r.response_due_at = $2 FOR UPDATE OF r`,
        [p.referralId, new Date(dueMs)],
      )) as {
        id: string;
        case_id: string;
        sent_by: string | null;
        created_by: string;
        case_number: string;
        organization: string;
      }[];
      // Answered, withdrawn, or its due date changed: nothing is overdue any more.
      if (!r) return 0;
      const today = currentDay(new Date(dueMs));
      if (p.day < today) {
        // A day that went by unseen (the queue was down): no late reminder for it, just today's.
        await this.outbox.add(m, [overdueJob(r.id, new Date(dueMs), today)]);
        return 0;
      }
      const sender = r.sent_by ?? r.created_by;
      const delivered = await this.notifications.deliver(m, [sender, ...(await activeStaff(m))], {
        eventKey: referralOverdueKey(r.id, dueMs, p.day),
        kind: 'referral_overdue',
        title: `紹介の回答期限を過ぎています: ${r.organization}（${r.case_number}）`,
        caseId: r.case_id,
        referralId: r.id,
      });
      await this.tasks.createTask(m, {
        caseId: r.case_id,
        referralId: r.id,
        kind: 'referral_followup',
        title: `回答のない紹介の確認: ${r.organization}`,
        dueAt: new Date(Date.now() + DAY),
        assigneeId: sender,
        priority: 'high',
        origin: 'referral_followup',
        // One follow-up per unanswered referral (per due date), not one per day or per sweep.
        originKey: `referral-followup.${r.id}.${dueMs}`,
      });
      // Tomorrow's reminder, unless the referral moves before then.
      await this.outbox.add(m, [overdueJob(r.id, new Date(dueMs), p.day + 1)]);
      return delivered;
    });
  }

  /**
   * The referrals' reconciliation: for every unanswered referral whose
   * current day's reminder is due by the next sweep and not delivered, put
   * that reminder on the queue (again) under its deterministic id.
   */
  @JobHandler(JobName.ReferralSweep)
  async sweep(): Promise<number> {
    const horizonMs = this.config.RECONCILE_EVERY_MS * 2;
    const rows = (await this.db.query(
      `SELECT id, response_due_at FROM referrals
        WHERE status = 'sent' AND response_due_at <= now() + make_interval(secs => $1)`,
      [horizonMs / 1000],
    )) as { id: string; response_due_at: Date }[];
    const points = rows.map((r) => overdueJob(r.id, r.response_due_at, currentDay(r.response_due_at)));
    return this.rescheduler.restore(points);
  }
}
