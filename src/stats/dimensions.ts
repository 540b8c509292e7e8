import { scopeCondition } from '../access/policy';
import type { CodeEntry, Label } from '../codes/code-lists';
import type { Dimension, ReportContext, RowSpec } from './report-table';
import { NOT_RECORDED } from './report-table';

/**
 * Dimensions more than one report uses. The facts of every report join the
 * case as `c`; `:tz` is TZ_BUSINESS.
 */

/** Rows straight from a code list, in its order; `nullable` adds the "not recorded" row. */
export function codeRows(list: readonly CodeEntry[], options: { nullable?: boolean } = {}): RowSpec[] {
  const rows: RowSpec[] = list.map((e) => ({ code: e.code, label: e.label }));
  return options.nullable ? [...rows, NOT_RECORDED] : rows;
}

/** A dimension whose rows are one code list. */
export function codeDimension(
  label: Label,
  sql: string,
  list: readonly CodeEntry[],
  options: { nullable?: boolean } = {},
): Dimension {
  const rows = codeRows(list, options);
  return { label, sql, rows: () => rows };
}

const UNPLACED: RowSpec = { code: null, label: { ja: '地区未定', en: 'No district yet' } };

/**
 * The case's current district. Rows: the districts the actor's statistics
 * cover (a supervisor's overseen ones; every one for staff and admins), by
 * code, then the cases not yet placed in a district.
 */
export const districtDimension: Dimension = {
  label: { ja: '地区', en: 'District' },
  sql: 'c.district_id',
  async rows(ctx: ReportContext) {
    const scope = scopeCondition(ctx.actor, 'stats.read', { districtId: { sql: 'd.id' } });
    const [sql, args] = ctx.m.connection.driver.escapeQueryWithParameters(
      `SELECT d.id, d.name FROM districts d WHERE ${scope.sql} ORDER BY d.code`,
      scope.params,
    );
    const districts = (await ctx.m.query(sql, args)) as { id: string; name: string }[];
    return [...districts.map((d) => ({ code: d.id, label: { ja: d.name, en: d.name } })), UNPLACED];
  },
};

const MONTHS_OF_FISCAL_YEAR = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3];

/** The month (in TZ_BUSINESS) of an instant column, April first as in the fiscal year. */
export function monthDimension(instantSql: string): Dimension {
  const rows = MONTHS_OF_FISCAL_YEAR.map((m) => ({ code: m, label: { ja: `${m}月`, en: monthName(m) } }));
  return {
    label: { ja: '月', en: 'Month' },
    sql: `extract(month FROM ${instantSql} AT TIME ZONE :tz)::int`,
    rows: () => rows,
  };
}

const monthName = (m: number) => new Date(Date.UTC(2000, m - 1, 1)).toLocaleString('en', { month: 'long' });

/** A yes/no property: yes first. */
export function flagDimension(label: Label, sql: string, yes: Label, no: Label): Dimension {
  const rows = [
    { code: true, label: yes },
    { code: false, label: no },
  ];
  return { label, sql, rows: () => rows };
}
