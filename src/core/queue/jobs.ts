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
}

export interface JobPayloads {
  [JobName.AuditSeal]: Record<string, never>;
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.AuditSeal]: QueueName.Maintenance,
};

export const ALL_QUEUES = Object.values(QueueName);
