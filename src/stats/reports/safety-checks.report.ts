import { SAFETY_CHECK_HOURS } from '../../tasks/follow-up-rules';
import { districtDimension, monthDimension } from '../dimensions';
import type { ReportDefinition } from '../report-table';

/** The time of receipt: the 48-hour rule set the safety check due 48 h after it. */
const RULE = `interval '${SAFETY_CHECK_HOURS} hours'`;
const RECEIVED_AT = `(t.due_at - ${RULE})`;
/** When the child was seen, as the outcome records it (checks done before outcomes were kept: when closed). */
const SEEN_AT = `coalesce((t.outcome ->> 'seenAt')::timestamptz, t.closed_at)`;

/**
 * The 48-hour rule (domain.md): notifications received in the period (each
 * one `safety_check` task of the rule), and how their check ended: seen
 * within 48 h, seen late, not yet (open, also after a `not_seen` attempt),
 * or cancelled; with the median hours from receipt to the child being seen
 * (the outcome's `seenAt`).
 */
export const safetyChecksReport: ReportDefinition = {
  name: 'safety_checks',
  title: { ja: '48時間ルール（安全確認）', en: '48-hour rule (safety checks)' },
  fixed: ['outcome'],
  defaultBy: [],
  dimensions: {
    outcome: {
      label: { ja: '区分', en: 'Outcome' },
      sql: `CASE WHEN t.status = 'done' AND ${SEEN_AT} <= t.due_at THEN 'within_48h'
                 WHEN t.status = 'done' THEN 'late'
                 WHEN t.status = 'open' THEN 'not_yet'
                 ELSE 'cancelled' END`,
      parentSql: `'received'`,
      rows: () => [
        {
          code: 'received',
          label: { ja: '受理（通告等）', en: 'Notifications received' },
          children: [
            { code: 'within_48h', label: { ja: '48時間以内に確認', en: 'Confirmed within 48 h' } },
            { code: 'late', label: { ja: '48時間経過後に確認', en: 'Confirmed late' } },
            { code: 'not_yet', label: { ja: '未確認', en: 'Not yet confirmed' } },
            { code: 'cancelled', label: { ja: '取消', en: 'Cancelled' } },
          ],
        },
      ],
    },
    district: districtDimension,
    month: monthDimension(RECEIVED_AT),
  },
  values: {
    medianHours: {
      sql: `CASE WHEN t.status = 'done' THEN extract(epoch FROM ${SEEN_AT} - ${RECEIVED_AT}) / 3600 END`,
      aggregate: 'median',
      label: { ja: '確認までの時間（中央値・時間）', en: 'Median hours to confirmation' },
    },
  },
  filters: { districtId: { sql: 'c.district_id = :value' } },
  from: (periods, scope) => `tasks t
    JOIN cases c ON c.id = t.case_id
    JOIN ${periods} ON t.due_at >= p.start_at + ${RULE} AND t.due_at < p.end_at + ${RULE}
    WHERE t.kind = 'safety_check' AND t.origin = 'rule_48h' AND ${scope}`,
};
