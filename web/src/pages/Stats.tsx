import { Box, Button, Group, Progress, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, download, unwrap, type Schemas } from '../api/client';
import { ErrorBanner, PageTitle, QueryState } from '../components/ui';

type Report = Schemas['CreateExportDto']['report'];
type StatsData = Schemas['StatsTableDto'];

const REPORTS: { value: Report; label: string; by: { value: string; label: string }[] }[] = [
  {
    value: 'consultations',
    label: '相談受付件数',
    by: [
      { value: 'type', label: '相談種別' },
      { value: 'channel', label: '相談経路（方法）' },
      { value: 'route', label: '相談者（経路）' },
      { value: 'district', label: '地区' },
      { value: 'month', label: '月' },
      { value: 'ageBand', label: '年齢区分' },
      { value: 'abuseType', label: '虐待種別' },
    ],
  },
  { value: 'cases', label: 'ケース数（受付・終結・継続）', by: [{ value: 'district', label: '地区' }] },
  { value: 'referrals', label: '送致・連携', by: [{ value: 'organizationType', label: '機関種別' }] },
  { value: 'safety_checks', label: '安全確認（48時間ルール）', by: [{ value: 'district', label: '地区' }] },
  { value: 'services', label: 'サービス利用', by: [{ value: 'district', label: '地区' }] },
];

const PATHS = {
  consultations: '/api/v1/stats/consultations',
  cases: '/api/v1/stats/cases',
  referrals: '/api/v1/stats/referrals',
  safety_checks: '/api/v1/stats/safety-checks',
  services: '/api/v1/stats/services',
} as const;

function currentFiscalYear(): number {
  const now = new Date(Date.now() + 9 * 3_600_000);
  return now.getUTCMonth() >= 3 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
}

/** Statistics (supervisor, staff, admin): the report's table, a simple bar chart per table, CSV export with progress. */
export function StatsPage() {
  const [report, setReport] = useState<Report>('consultations');
  const spec = REPORTS.find((r) => r.value === report)!;
  const [by, setBy] = useState(spec.by[0].value);
  const fy = currentFiscalYear();
  const [years, setYears] = useState(`${fy - 1},${fy}`);
  const params = { fiscalYears: years, ...(report === 'consultations' || report === 'services' ? { by } : {}) };
  const query = useQuery({
    queryKey: ['stats', report, params],
    queryFn: async () => unwrap(await api.GET(PATHS[report], { params: { query: params as never } })) as StatsData,
  });
  return (
    <>
      <PageTitle>統計</PageTitle>
      <Group gap="xs" align="flex-end" mb="sm">
        <Select
          label="統計表"
          size="xs"
          w={240}
          data={REPORTS.map((r) => ({ value: r.value, label: r.label }))}
          value={report}
          allowDeselect={false}
          onChange={(v) => {
            const next = REPORTS.find((r) => r.value === v)!;
            setReport(next.value);
            setBy(next.by[0].value);
          }}
        />
        {(report === 'consultations' || report === 'services') && (
          <Select
            label="集計軸"
            size="xs"
            w={160}
            data={spec.by}
            value={by}
            allowDeselect={false}
            onChange={(v) => setBy(v ?? by)}
          />
        )}
        <TextInput
          label="年度（カンマ区切り）"
          size="xs"
          w={160}
          value={years}
          onChange={(e) => setYears(e.currentTarget.value)}
        />
        <ExportButton report={report} params={params} />
      </Group>
      <QueryState query={query} />
      {query.data && <StatsTable table={query.data} />}
    </>
  );
}

function labelOf(row: Schemas['StatsRowDto']): string {
  return Object.values(row.label)
    .map((l) => l.ja)
    .join('・');
}

function StatsTable({ table }: { table: StatsData }) {
  const rows = table.rows.flatMap((r) => [
    { row: r, depth: 0 },
    ...(r.children ?? []).map((c) => ({ row: c, depth: 1 })),
  ]);
  const last = table.periods.length - 1;
  const max = Math.max(1, ...table.rows.map((r) => r.counts[last] ?? 0));
  return (
    <Stack gap="sm">
      <Table withTableBorder withColumnBorders striped verticalSpacing={2} className="tsunagu-table" maw={1100}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>区分</Table.Th>
            {table.periods.map((p) => (
              <Table.Th key={p.key} ta="right">
                {p.label}
              </Table.Th>
            ))}
            <Table.Th>{table.periods[last]?.label ?? ''}（グラフ）</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(({ row, depth }, i) => (
            <Table.Tr key={i}>
              <Table.Td pl={depth ? 24 : undefined}>{labelOf(row)}</Table.Td>
              {row.counts.map((n, j) => (
                <Table.Td key={j} ta="right">
                  {n.toLocaleString('ja-JP')}
                </Table.Td>
              ))}
              <Table.Td w={220}>
                {depth === 0 && (
                  <Box
                    role="img"
                    aria-label={`${labelOf(row)} ${row.counts[last] ?? 0}件`}
                    h={10}
                    bg="indigo.6"
                    w={`${((row.counts[last] ?? 0) / max) * 100}%`}
                  />
                )}
              </Table.Td>
            </Table.Tr>
          ))}
          {table.total && (
            <Table.Tr fw={700}>
              <Table.Td>合計</Table.Td>
              {table.total.counts.map((n, j) => (
                <Table.Td key={j} ta="right">
                  {n.toLocaleString('ja-JP')}
                </Table.Td>
              ))}
              <Table.Td />
            </Table.Tr>
          )}
          {table.of.map((s) => (
            <Table.Tr key={s.key}>
              <Table.Td pl={24}>{s.label.ja}</Table.Td>
              {s.counts.map((n, j) => (
                <Table.Td key={j} ta="right">
                  {n.toLocaleString('ja-JP')}
                </Table.Td>
              ))}
              <Table.Td />
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** CSV export: queued, built by a job, polled until done, then downloaded (UTF-8 with BOM, for Excel). */
function ExportButton({ report, params }: { report: Report; params: Record<string, string> }) {
  const [exportId, setExportId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/stats/exports', { body: { report, format: 'csv', ...params } as never })),
    onSuccess: (e) => setExportId(e.id),
  });
  const status = useQuery({
    queryKey: ['export', exportId],
    enabled: exportId !== null,
    queryFn: async () => unwrap(await api.GET('/api/v1/stats/exports/{id}', { params: { path: { id: exportId! } } })),
    refetchInterval: (q) => (q.state.data?.status === 'done' || q.state.data?.status === 'failed' ? false : 1000),
  });
  const s = status.data?.status;
  const value = s === 'done' ? 100 : s === 'running' ? 60 : s === 'failed' ? 100 : 20;
  return (
    <Group gap="xs" align="flex-end">
      <Button size="xs" variant="light" onClick={() => start.mutate()} loading={start.isPending}>
        CSV出力
      </Button>
      {exportId && (
        <Stack gap={2} w={200}>
          <Text size="xs">
            {s === 'done'
              ? `作成しました（${status.data?.rowCount ?? 0}行）`
              : s === 'failed'
                ? '作成に失敗しました'
                : '作成中…'}
          </Text>
          <Progress
            value={value}
            color={s === 'failed' ? 'red' : s === 'done' ? 'green' : 'indigo'}
            animated={s !== 'done' && s !== 'failed'}
            aria-label="CSV作成の進み具合"
          />
        </Stack>
      )}
      {s === 'done' && (
        <Button size="xs" onClick={() => void download(`/api/v1/stats/exports/${exportId}/file`, `${report}.csv`)}>
          ダウンロード
        </Button>
      )}
      <ErrorBanner error={start.error} />
    </Group>
  );
}
