import { CODE_LISTS } from '../../codes/code-lists';
import { codeDimension, codeRows, districtDimension } from '../dimensions';
import type { ReportDefinition } from '../report-table';

/**
 * Cases per period (api.md): opened in it, closed in it (by closure reason
 * beneath), and still open at its end; children are counted once however
 * many cases they had (`childCounts` beside `counts`). District and council
 * registration are the case's current ones.
 */
export const casesReport: ReportDefinition = {
  name: 'cases',
  title: { ja: 'ケース件数', en: 'Cases' },
  fixed: ['measure'],
  defaultBy: [],
  dimensions: {
    measure: {
      label: { ja: '区分', en: 'Measure' },
      sql: `CASE m.kind WHEN 'closed' THEN coalesce(c.closure_reason, 'other') ELSE m.kind END`,
      parentSql: 'm.kind',
      rows: () => [
        { code: 'opened', label: { ja: '新規受付', en: 'Opened' } },
        { code: 'closed', label: { ja: '終結', en: 'Closed' }, children: codeRows(CODE_LISTS.closureReasons) },
        { code: 'open_at_end', label: { ja: '期末継続中', en: "Open at the period's end" } },
      ],
    },
    district: districtDimension,
    protection: codeDimension(
      { ja: '要対協登録', en: 'Council registration' },
      'c.protection',
      CODE_LISTS.protectionRegistrations,
    ),
  },
  values: {
    childCounts: { sql: 'c.subject_id', aggregate: 'count_distinct', label: { ja: '実人数', en: 'Children' } },
  },
  filters: { districtId: { sql: 'c.district_id = :value' } },
  // A case is a fact of a period once for each thing that happened to it in it.
  from: (periods, scope) => `FROM cases c
    JOIN ${periods} ON c.opened_at < p.end_at AND (c.closed_at IS NULL OR c.closed_at >= p.start_at)
    CROSS JOIN LATERAL (VALUES
      ('opened', c.opened_at >= p.start_at),
      ('closed', c.closed_at < p.end_at),
      ('open_at_end', c.closed_at IS NULL OR c.closed_at >= p.end_at)) AS m(kind, hit)
    WHERE m.hit AND ${scope}`,
};
