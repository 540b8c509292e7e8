import { CODE_LISTS } from '../../codes/code-lists';
import { codeDimension, districtDimension, monthDimension } from '../dimensions';
import type { Dimension, ReportDefinition, RowSpec } from '../report-table';

/** Where a referral stands now, in the words of the report (api.md). */
const OUTCOMES: RowSpec[] = [
  { code: 'awaiting_response', label: { ja: '回答待ち', en: 'Awaiting response' } },
  { code: 'unanswered_past_due', label: { ja: '期限超過・未回答', en: 'Unanswered past due' } },
  { code: 'accepted', label: { ja: '受諾・対応中', en: 'Accepted' } },
  { code: 'completed', label: { ja: '完了', en: 'Completed' } },
  { code: 'declined', label: { ja: '辞退', en: 'Declined' } },
  { code: 'withdrawn', label: { ja: '取下げ', en: 'Withdrawn' } },
];
const OUTCOME_SQL = `CASE r.status
  WHEN 'sent' THEN CASE WHEN r.response_due_at < now() THEN 'unanswered_past_due' ELSE 'awaiting_response' END
  WHEN 'in_progress' THEN 'accepted'
  ELSE r.status END`;

const organizationDimension: Dimension = {
  label: { ja: '機関', en: 'Organization' },
  sql: 'r.organization_id',
  async rows(ctx) {
    const orgs = (await ctx.m.query(`SELECT id, name FROM organizations ORDER BY name, id`)) as {
      id: string;
      name: string;
    }[];
    return orgs.map((o) => ({ code: o.id, label: { ja: o.name, en: o.name } }));
  },
};

/**
 * Referrals sent (outgoing) or received (incoming) in the period, drafts
 * left out, by organization, direction, kind and where they stand now.
 */
export const referralsReport: ReportDefinition = {
  name: 'referrals',
  title: { ja: '連携・紹介件数', en: 'Referrals' },
  defaultBy: ['outcome'],
  dimensions: {
    organizationType: codeDimension(
      { ja: '機関種別', en: 'Organization type' },
      'o.type',
      CODE_LISTS.organizationTypes,
    ),
    organization: organizationDimension,
    direction: codeDimension({ ja: '方向', en: 'Direction' }, 'r.direction', CODE_LISTS.referralDirections),
    kind: codeDimension({ ja: '種類', en: 'Kind' }, 'r.kind', CODE_LISTS.referralKinds),
    outcome: { label: { ja: '結果', en: 'Outcome' }, sql: OUTCOME_SQL, rows: () => OUTCOMES },
    district: districtDimension,
    month: monthDimension('coalesce(r.sent_at, r.created_at)'),
  },
  filters: { districtId: { sql: 'c.district_id = :value' } },
  from: (periods, scope) => `FROM referrals r
    JOIN cases c ON c.id = r.case_id
    JOIN organizations o ON o.id = r.organization_id
    JOIN ${periods} ON coalesce(r.sent_at, r.created_at) >= p.start_at AND coalesce(r.sent_at, r.created_at) < p.end_at
    WHERE r.status <> 'draft' AND ${scope}`,
};
