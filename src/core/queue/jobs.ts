/**
 * Every queue and every job of the system, declared once (style.md: "jobs are
 * declared once, typed, and checked at start-up"). Payloads hold ids, never
 * records: a handler re-reads PostgreSQL, the source of truth (jobs.md).
 */
export enum QueueName {
  Tasks = 'tasks',
  Cases = 'cases',
  Referrals = 'referrals',
  Notifications = 'notifications',
  Reports = 'reports',
  Maintenance = 'maintenance',
}

export enum JobName {
  /** Seal the newest audit entries into the hash chain. */
  AuditSeal = 'audit.seal',
  /** Remind a task's assignee before its due time, or at it (offset 0). */
  TaskReminder = 'task.reminder',
  /** Tell the district's supervisors that a task is overdue past the escalation time. */
  TaskEscalation = 'task.escalation',
  /** 48-hour rule: alert the district's supervisors when 12 h remain and when it falls overdue. */
  SafetyCheckAlert = 'case.safety_check_alert',
  /** Rebuild from PostgreSQL whatever the queue should hold (jobs.md, "Reconciliation"). */
  Reconcile = 'maintenance.reconcile',
  /** A referral past its response due date with no response: tell the sender and staff, once a day. */
  ReferralOverdue = 'referral.overdue',
  /** Find unanswered referrals whose day's reminder is not on the queue (the referrals' reconciliation). */
  ReferralSweep = 'maintenance.referral_sweep',
  /** Tell supervisors of cases active too long without an approved support plan, once (docs/domain.md). */
  UnplannedCaseSweep = 'case.unplanned_sweep',
  /** Build a statistics export's file (POST /stats/exports). */
  StatsExport = 'report.stats_export',
  /** Delete exports past their 7 days; re-enqueue exports whose job Redis lost. */
  StatsExportSweep = 'maintenance.stats_export_sweep',
}

export interface TaskPoint {
  taskId: string;
  /** The due time the job was made for (ISO); a task whose due time moved makes the job stale. */
  dueAt: string;
}

export interface JobPayloads {
  [JobName.AuditSeal]: Record<string, never>;
  [JobName.TaskReminder]: TaskPoint & { offsetMinutes: number };
  [JobName.TaskEscalation]: TaskPoint;
  [JobName.SafetyCheckAlert]: TaskPoint & { stage: '12h_left' | 'overdue' };
  [JobName.Reconcile]: Record<string, never>;
  /** `day` 0 is the due date itself, 1 the day after, ... */
  [JobName.ReferralOverdue]: { referralId: string; dueAt: string; day: number };
  [JobName.ReferralSweep]: Record<string, never>;
  [JobName.UnplannedCaseSweep]: Record<string, never>;
  [JobName.StatsExport]: { exportId: string };
  [JobName.StatsExportSweep]: Record<string, never>;
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.AuditSeal]: QueueName.Maintenance,
  [JobName.TaskReminder]: QueueName.Tasks,
  [JobName.TaskEscalation]: QueueName.Tasks,
  [JobName.SafetyCheckAlert]: QueueName.Cases,
  [JobName.Reconcile]: QueueName.Maintenance,
  [JobName.ReferralOverdue]: QueueName.Referrals,
  [JobName.ReferralSweep]: QueueName.Maintenance,
  [JobName.UnplannedCaseSweep]: QueueName.Cases,
  [JobName.StatsExport]: QueueName.Reports,
  [JobName.StatsExportSweep]: QueueName.Maintenance,
};

export const ALL_QUEUES = Object.values(QueueName);

/** Seconds-level jobs on BullMQ job schedulers: upserted by every worker at start and again every sweep period. */
export const REPEATABLE_JOBS: {
  job:
    | JobName.AuditSeal
    | JobName.Reconcile
    | JobName.ReferralSweep
    | JobName.UnplannedCaseSweep
    | JobName.StatsExportSweep;
  everyMs: (config: { RECONCILE_EVERY_MS: number }) => number;
}[] = [
  // Audit entries are sealed into the hash chain a few seconds behind (domain.md, "Audit").
  { job: JobName.AuditSeal, everyMs: () => 3_000 },
  { job: JobName.Reconcile, everyMs: (config) => config.RECONCILE_EVERY_MS },
  { job: JobName.ReferralSweep, everyMs: (config) => config.RECONCILE_EVERY_MS },
  { job: JobName.UnplannedCaseSweep, everyMs: (config) => config.RECONCILE_EVERY_MS },
  { job: JobName.StatsExportSweep, everyMs: (config) => config.RECONCILE_EVERY_MS },
];
