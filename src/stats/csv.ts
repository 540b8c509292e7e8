import { stringify } from 'csv-stringify/sync';
import { localParts } from '../core/time/business-time';
import type { ReportDefinition, Table, TableRow } from './report-table';

/** Full-width space: how a report indents the children of a tree row. */
const INDENT = '\u3000';

/**
 * A report table as a CSV file that Excel opens as it is (api.md): UTF-8 with
 * a byte order mark, CRLF line ends, Japanese headings and labels, plain
 * numbers. The first line names the report, its periods and when it was made.
 */
export function tableToCsv(
  def: ReportDefinition,
  table: Table,
  madeAt: Date,
  timeZone: string,
): { bytes: Buffer; rowCount: number } {
  const periodNames = table.periods.map((p) => `${p.label}（${p.westernLabel}）`);
  const values = Object.entries(def.values ?? {});
  const t = localParts(madeAt, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const made = `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}`;

  const header = [def.title.ja, `期間: ${periodNames.join('、')}`, `作成日時: ${made} (${timeZone})`];
  const columns = [
    ...table.by.map((d) => def.dimensions[d].label.ja),
    ...periodNames,
    ...values.flatMap(([, v]) => periodNames.map((p) => `${p} ${v.label.ja}`)),
  ];
  const figures = (row: { counts: number[]; [value: string]: unknown }) => [
    ...row.counts,
    ...values.flatMap(([name]) => row[name] as (number | null)[]),
  ];
  const lines: unknown[][] = [];
  // Children of a tree row are indented in the tree's own column.
  const tree = table.by.find((d) => def.dimensions[d].parentSql);
  const add = (row: TableRow, child: boolean) => {
    lines.push([...table.by.map((d) => (child && d === tree ? INDENT : '') + row.label[d].ja), ...figures(row)]);
    for (const c of row.children ?? []) add(c, true);
  };
  for (const row of table.rows) add(row, false);
  const blank = table.by.slice(1).map(() => '');
  if (table.total) lines.push(['合計', ...blank, ...figures(table.total)]);
  for (const sub of table.of) lines.push([sub.label.ja, ...blank, ...sub.counts]);

  const bytes = Buffer.from(
    stringify([header, columns, ...lines], {
      bom: true,
      record_delimiter: '\r\n',
      cast: { number: (n) => String(n) },
    }),
    'utf8',
  );
  return { bytes, rowCount: lines.length };
}
