import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../core/config/app-config';
import { JobName } from '../core/queue/jobs';
import { Outbox, OutboxJob } from '../core/queue/outbox';
import type { Referral } from './referral.entity';

export const DAY = 24 * 3_600_000;

/** Job id and notification event key of the reminder for day `day` after the due date. */
export const referralOverdueKey = (referralId: string, dueMs: number, day: number) =>
  `referral-overdue.${referralId}.${dueMs}.${day}`;

/** Days since the due date: 0 on the due date itself (and before it). */
export const currentDay = (due: Date) => Math.max(0, Math.floor((Date.now() - due.getTime()) / DAY));

export function overdueJob(referralId: string, due: Date, day: number): OutboxJob & { runAt: Date } {
  return {
    job: JobName.ReferralOverdue,
    jobId: referralOverdueKey(referralId, due.getTime(), day),
    payload: { referralId, dueAt: due.toISOString(), day },
    runAt: new Date(due.getTime() + day * DAY),
  };
}

/**
 * Deadlines the system enforces (domain.md, "Referrals"): a referral's
 * response due date, and its first overdue check scheduled when it is sent.
 * What happens when one passes is `ReferralDeadlineJobs`
 * (referral-deadlines.jobs.ts).
 */
@Injectable()
export class ReferralDeadlines {
  constructor(
    private readonly outbox: Outbox,
    private readonly config: AppConfig,
  ) {}

  /** The due date of a referral sent now: agreed, or by urgency (1, 3, 14 days by default). */
  dueDateOf(r: Pick<Referral, 'agreedResponseDueAt' | 'urgency'>, sentAt: Date): Date {
    return r.agreedResponseDueAt ?? new Date(sentAt.getTime() + this.config.referralResponseDays[r.urgency] * DAY);
  }

  /**
   * Called in the transaction that sends a referral: its first overdue check,
   * at the due time, or today's when the due date has already passed.
   */
  async schedule(m: EntityManager, r: Pick<Referral, 'id'>, due: Date): Promise<void> {
    await this.outbox.add(m, [overdueJob(r.id, due, currentDay(due))]);
  }
}
