import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../core/config/app-config';
import { JobHandler } from '../core/queue/job-handler.decorator';
import { JobName } from '../core/queue/jobs';
import { supervisorsOf } from '../directory/staffing';
import { Notifications } from '../notifications/notifications.service';

interface Unplanned {
  id: string;
  number: string;
  district_id: string | null;
  active_since: Date;
}

/** At most this many cases are flagged per sweep; the next sweep takes the rest. */
const BATCH = 500;

/**
 * A case under support has a plan (docs/domain.md, "Support plans"): a case
 * in `active` for more than PLAN_REQUIRED_AFTER_DAYS without an approved plan
 * is flagged to the supervisors of its district, once for each stretch in
 * `active` (the flag row decides, so racing sweeps and retries flag once).
 */
@Injectable()
export class UnplannedCases {
  private readonly logger = new Logger('UnplannedCases');

  constructor(
    private readonly db: DataSource,
    private readonly notifications: Notifications,
    private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.UnplannedCaseSweep)
  async sweep(): Promise<number> {
    // Active since the last transition into `active`; a case put there before events were kept, since acceptance.
    const cases = (await this.db.query(
      `SELECT a.* FROM (
         SELECT c.id, c.number, c.district_id,
                coalesce((SELECT max(e.occurred_at) FROM case_events e
                           WHERE e.case_id = c.id AND e.kind = 'transition' AND e.to_status = 'active'),
                         c.accepted_at, c.opened_at) AS active_since
           FROM cases c
          WHERE c.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM support_plans p WHERE p.case_id = c.id AND p.status = 'approved')
       ) a
       WHERE a.active_since < now() - make_interval(days => $1)
         AND NOT EXISTS (SELECT 1 FROM unplanned_case_flags f WHERE f.case_id = a.id AND f.active_since = a.active_since)
       ORDER BY a.active_since LIMIT ${BATCH}`,
      [this.config.PLAN_REQUIRED_AFTER_DAYS],
    )) as Unplanned[];
    let flagged = 0;
    for (const c of cases) {
      const raised = await this.db.transaction(async (m) => {
        const inserted = (await m.query(
          `INSERT INTO unplanned_case_flags (case_id, active_since) VALUES ($1, $2)
           ON CONFLICT DO NOTHING RETURNING case_id`,
          [c.id, c.active_since],
        )) as unknown[];
        if (inserted.length === 0) return false;
        await this.notifications.deliver(m, await supervisorsOf(m, c.district_id), {
          eventKey: `plan-missing.${c.id}.${c.active_since.getTime()}`,
          kind: 'plan_missing',
          title: `支援中のケースに承認済みの支援計画がありません（${c.number}）`,
          caseId: c.id,
        });
        return true;
      });
      if (raised) flagged += 1;
    }
    if (flagged > 0) this.logger.log(`flagged ${flagged} active cases without an approved support plan`);
    return flagged;
  }
}
