import type { EntityManager } from 'typeorm';
import type { Actor } from '../access/policy';
import type { Label } from '../codes/code-lists';
import type { Period } from './periods';

/**
 * The report framework: a report says what it counts (its facts, as SQL),
 * which dimensions and sub-counts it offers, and the engine below turns
 * that into the table of api.md: one row per code of each dimension (zeros
 * included, in code-list order, a two-level tree nested), one column per
 * period, the total, and sub-counts beneath. Every figure, parents and
 * totals included, is counted by PostgreSQL in one query (GROUPING SETS),
 * so a distinct count or a median is right at every level, not a sum of
 * its parts.
 *
 * To add a report, see docs/statistics.md.
 */

export type RowCode = string | number | boolean | null;

/** One row of a dimension, in report order; a tree's parent has its children. */
export interface RowSpec {
  code: RowCode;
  label: Label;
  children?: RowSpec[];
}

export interface ReportContext {
  m: EntityManager;
  actor: Actor;
  timeZone: string;
  periods: Period[];
  /** The codes the facts produced for a dimension (for rows that are data, like counselors). */
  seen: Set<string | null>;
}

export interface Dimension {
  /** Column heading in exports. */
  label: Label;
  /** SQL expression of a fact's code for this dimension, over the report's `from` (NULL: not recorded). */
  sql: string;
  /** For a two-level tree: SQL expression of the parent's code. Rows then nest the children beneath. */
  parentSql?: string;
  /** The rows, in report order. */
  rows(ctx: ReportContext): RowSpec[] | Promise<RowSpec[]>;
}

/** A sub-count: how many of the counted facts also have a property (a boolean SQL expression). */
export interface SubCount {
  label: Label;
  sql: string;
}

/** A figure beside the count in every row, aggregated by PostgreSQL over an input column. */
export interface ExtraValue {
  sql: string;
  /** `sum`: a total over the facts (persons, nights), 0 where there are none. */
  aggregate: 'count_distinct' | 'median' | 'sum';
  /** Column label in exports. */
  label: Label;
}

/** A filter parameter: a SQL condition using `:value` (the caller's value, or what `value` makes of it). */
export interface Filter {
  sql: string;
  value?: (raw: string) => unknown;
}

export interface ReportDefinition {
  name: string;
  /** Title in exports. */
  title: Label;
  /** Dimensions always shown first, whatever `by` says (a report's measures, e.g. opened / closed / open). */
  fixed?: string[];
  /** `by` when the caller gives none. */
  defaultBy: string[];
  dimensions: Record<string, Dimension>;
  subCounts?: Record<string, SubCount>;
  values?: Record<string, ExtraValue>;
  filters?: Record<string, Filter>;
  /**
   * `FROM … WHERE` of the facts (the keyword included), with named parameters. It must join the
   * periods (`ctx.periods` is written into the SQL as `p(i, start_at, end_at)`,
   * exposing `p.i`) and apply `scope` (the policy's condition on the case,
   * alias `c`): one fact row per counted thing and period.
   */
  from(periods: string, scope: string): string;
}

/** A row of the answer. Extra values (e.g. `childCounts`) sit beside `counts`. */
export interface TableRow {
  key: Record<string, RowCode>;
  label: Record<string, Label>;
  counts: number[];
  children?: TableRow[];
  [value: string]: unknown;
}

export interface Table {
  report: string;
  periods: { key: string; label: string; westernLabel: string; from: string; to: string }[];
  by: string[];
  rows: TableRow[];
  /** Null for a report of measures (`fixed`): opened + closed + open adds up to nothing. */
  total: { counts: number[]; [value: string]: unknown } | null;
  of: { key: string; label: Label; counts: number[] }[];
}

export interface TableRequest {
  by: string[];
  of: string[];
  filters: Record<string, string>;
}

/** The "not recorded" row of a dimension whose value may be missing. */
export const NOT_RECORDED: RowSpec = { code: null, label: { ja: '不明・未記録', en: 'Not recorded' } };

interface DimColumn {
  name: string;
  dim: Dimension;
  leaf: string;
  parent?: string;
}

type Level = 'leaf' | 'parent';

const cellKey = (parts: [Level, RowCode][]) =>
  parts.map(([level, code]) => `${level}:${code === null ? '\u0000' : String(code)}`).join('|');

/**
 * Runs a report: one query (facts grouped by period under GROUPING SETS),
 * then the rows of every dimension filled in from it.
 */
export async function runReport(
  def: ReportDefinition,
  ctx: Omit<ReportContext, 'seen'>,
  scope: { sql: string; params: Record<string, unknown> },
  request: TableRequest,
): Promise<Table> {
  const dims = [...(def.fixed ?? []), ...request.by];
  const columns: DimColumn[] = dims.map((name, i) => {
    const dim = def.dimensions[name];
    return { name, dim, leaf: `d${i}`, parent: dim.parentSql ? `d${i}p` : undefined };
  });
  const values = Object.entries(def.values ?? {});
  const subCounts = request.of.map((name) => [name, def.subCounts![name]] as const);

  const params: Record<string, unknown> = { ...scope.params, tz: ctx.timeZone };
  const periodRows = ctx.periods.map((p, i) => {
    params[`period_${i}_start`] = p.start;
    params[`period_${i}_end`] = p.end;
    return `(${i}, :period_${i}_start::timestamptz, :period_${i}_end::timestamptz)`;
  });
  const periods = `(VALUES ${periodRows.join(', ')}) AS p(i, start_at, end_at)`;
  const where = Object.entries(request.filters).map(([name, value]) => {
    const filter = def.filters![name];
    params[`filter_${name}`] = filter.value ? filter.value(value) : value;
    return filter.sql.replaceAll(':value', `:filter_${name}`);
  });

  const inner = [
    'p.i AS period',
    ...columns.flatMap((c) => [
      `(${c.dim.sql})::text AS ${c.leaf}`,
      ...(c.parent ? [`(${c.dim.parentSql})::text AS ${c.parent}`] : []),
    ]),
    ...values.map(([, v], i) => `${v.sql} AS v${i}`),
    ...subCounts.map(([, s], i) => `(${s.sql}) AS s${i}`),
  ];
  const groupingColumns = columns.flatMap((c) => [c.leaf, ...(c.parent ? [c.parent] : [])]);
  // Every combination of levels (leaf, and parent for a tree), and the total.
  const sets = columns
    .reduce<string[][]>(
      (acc, c) => acc.flatMap((set) => [[...set, c.leaf], ...(c.parent ? [[...set, c.parent]] : [])]),
      [[]],
    )
    .map((set) => `(${set.map((col) => `f.${col}`).join(', ')})`);
  if (columns.length > 0) sets.push('()');
  const aggregate = (v: ExtraValue, i: number) =>
    v.aggregate === 'count_distinct'
      ? `count(DISTINCT f.v${i})::int`
      : v.aggregate === 'sum'
        ? `coalesce(sum(f.v${i}), 0)::float8`
        : `percentile_cont(0.5) WITHIN GROUP (ORDER BY f.v${i})`;
  const sql = `
    SELECT f.period,
      ${[
        ...groupingColumns.map((col) => `f.${col}, GROUPING(f.${col}) AS g_${col}`),
        'count(*)::int AS n',
        ...values.map(([, v], i) => `${aggregate(v, i)} AS v${i}`),
        ...subCounts.map((_, i) => `count(*) FILTER (WHERE f.s${i})::int AS s${i}`),
      ].join(',\n      ')}
    FROM (SELECT ${inner.join(', ')} ${def.from(periods, `(${scope.sql})`)}
          ${where.length ? `AND ${where.join(' AND ')}` : ''}) f
    GROUP BY f.period${sets.length ? `, GROUPING SETS (${sets.join(', ')})` : ''}`;
  const [text, args] = ctx.m.connection.driver.escapeQueryWithParameters(sql, params);
  const result = (await ctx.m.query(text, args)) as Record<string, unknown>[];

  // Index the cells: level and code of every dimension → the row of figures per period.
  const cells = new Map<string, Record<string, unknown>[]>();
  const seen = columns.map(() => new Set<string | null>());
  for (const r of result) {
    const parts: [Level, RowCode][] = [];
    let total = true;
    columns.forEach((c, i) => {
      if (r[`g_${c.leaf}`] === 0) {
        parts.push(['leaf', r[c.leaf] as string | null]);
        seen[i].add(r[c.leaf] as string | null);
        total = false;
      } else if (c.parent && r[`g_${c.parent}`] === 0) {
        parts.push(['parent', r[c.parent] as string | null]);
        total = false;
      }
    });
    const key = total ? 'total' : cellKey(parts);
    const perPeriod = cells.get(key) ?? ctx.periods.map(() => ({}));
    perPeriod[r.period as number] = r;
    cells.set(key, perPeriod);
  }

  const figures = (key: string) => {
    const perPeriod = cells.get(key) ?? ctx.periods.map(() => ({}) as Record<string, unknown>);
    const out: { counts: number[]; [value: string]: unknown } = {
      counts: perPeriod.map((r) => (r.n as number | undefined) ?? 0),
    };
    values.forEach(([name, v], i) => {
      out[name] = perPeriod.map((r) => {
        const x = r[`v${i}`] as number | null | undefined;
        if (v.aggregate !== 'median') return x ?? 0;
        return x === null || x === undefined ? null : Math.round(Number(x) * 10) / 10;
      });
    });
    return { out, perPeriod };
  };

  const specs = await Promise.all(columns.map((c, i) => c.dim.rows({ ...ctx, seen: seen[i] })));
  // Rows: the product of the dimensions' rows in order; a tree's parent row holds its children.
  const build = (i: number, chosen: { spec: RowSpec; level: Level }[]): TableRow[] => {
    if (i === columns.length) {
      const row = toRow(chosen);
      const treeAt = chosen.findIndex((c) => c.spec.children?.length);
      if (treeAt >= 0) {
        row.children = chosen[treeAt].spec.children!.map((child) =>
          toRow(chosen.map((c, j) => (j === treeAt ? { spec: child, level: 'leaf' } : c))),
        );
      }
      return [row];
    }
    const level: Level = columns[i].parent ? 'parent' : 'leaf';
    return specs[i].flatMap((spec) => build(i + 1, [...chosen, { spec, level }]));
  };
  const toRow = (chosen: { spec: RowSpec; level: Level }[]): TableRow => ({
    key: Object.fromEntries(chosen.map((c, j) => [columns[j].name, c.spec.code])),
    label: Object.fromEntries(chosen.map((c, j) => [columns[j].name, c.spec.label])),
    ...figures(cellKey(chosen.map((c) => [c.level, c.spec.code]))).out,
  });

  const total = figures('total');
  return {
    report: def.name,
    periods: ctx.periods.map(({ key, label, westernLabel, from, to }) => ({ key, label, westernLabel, from, to })),
    by: dims,
    rows: columns.length ? build(0, []) : [],
    total: def.fixed?.length ? null : total.out,
    of: subCounts.map(([key, s], i) => ({
      key,
      label: s.label,
      counts: total.perPeriod.map((r) => (r[`s${i}`] as number | undefined) ?? 0),
    })),
  };
}
