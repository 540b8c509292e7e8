import { SAFETY_CHECK_HOURS } from '../../tasks/safety-checks';
import { districtDimension, monthDimension } from '../dimensions';
import type { ReportDefinition } from '../report-table';

const RULE = `interval '${SAFETY_CHECK_HOURS} hours'`;
/** The time one notification (a report the check answers) was received. */
const RECEIVED_AT = `(rep.report ->> 'receivedAt')::timestamptz`;
/** When the child was seen, as the check's outcome records it (checks done before outcomes were kept: when closed). */
const SEEN_AT = `coalesce((t.outcome ->> 'seenAt')::timestamptz, t.closed_at)`;

/**
 * The 48-hour rule (domain.md): every notification received in the period
 * (each report a `safety_check` of the rule answers; a report made while a
 * check is open joins it), and how it ended for that notification: the child
 * seen within 48 h of its receipt, seen later, not yet (open, also after a
 * `not_seen` attempt), or cancelled; with the median hours from receipt to
 * the child being seen (the outcome's `seenAt`).
 */
export const safetyChecksReport: ReportDefinition = {
  name: 'safety_checks',
  title: { ja: '48時間ルール（安全確認）', en: '48-hour rule (safety checks)' },
  fixed: ['outcome'],
  defaultBy: [],
  dimensions: {
    outcome: {
      label: { ja: '区分', en: 'Outcome' },
      sql: `CASE WHEN t.status = 'done' AND ${SEEN_AT} <= ${RECEIVED_AT} + ${RULE} THEN 'within_48h'
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
  from: (periods, scope) => `FROM tasks t
    CROSS JOIN LATERAL jsonb_array_elements(t.reports) AS rep(report)
    JOIN cases c ON c.id = t.case_id
    JOIN ${periods} ON ${RECEIVED_AT} >= p.start_at AND ${RECEIVED_AT} < p.end_at
    WHERE t.kind = 'safety_check' AND t.origin = 'rule_48h' AND ${scope}`,
};
