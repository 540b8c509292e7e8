import { Badge, Button, Checkbox, Group, Select, Table, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { useLabel, useOptions } from '../codes';
import { PageTitle, Pager, QueryState, useCursorPages } from '../components/ui';
import { ageOf, formatDate } from '../format';

type Status = Schemas['CaseListItem']['status'];

const TITLES: Record<string, string> = {
  intake: '受付待ち（受理・不受理の判断）',
  closure_requested: '終結承認待ち',
};

/**
 * Case list with filters and search (the filters live in the URL, so a link
 * or a reload keeps them). The supervisor's intake queue and closure
 * approvals are this list preset to `intake` and `closure_requested`.
 */
export function CaseListPage({ preset }: { preset?: Status }) {
  const label = useLabel();
  const statuses = useOptions('caseStatuses');
  const risks = useOptions('riskLevels');
  const protections = useOptions('protectionRegistrations');
  const [params, setParams] = useSearchParams();
  const status = (preset ?? params.get('status') ?? undefined) as Status | undefined;
  const q = params.get('q') ?? '';
  const risk = params.get('risk') ?? undefined;
  const protection = params.get('protection') ?? undefined;
  const overdue = params.get('overdue') === 'true';
  const counselorId = params.get('counselorId') ?? undefined;
  const [search, setSearch] = useState(q);
  const pages = useCursorPages();
  const { cursor } = pages;

  const query = useQuery({
    queryKey: ['cases', { status, q, risk, protection, overdue, counselorId, cursor }],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/cases', {
          params: {
            query: {
              limit: 50,
              cursor,
              ...(status ? { status } : {}),
              ...(q ? { q } : {}),
              ...(counselorId ? { counselorId } : {}),
              ...(risk ? { risk: risk as never } : {}),
              ...(protection ? { protection: protection as never } : {}),
              ...(overdue ? { hasOverdueTasks: 'true' as const } : {}),
            },
          },
        }),
      ),
  });
  const update = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
    pages.reset();
  };
  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    update('q', search.trim() || null);
  };
  // The intake queue: abuse first, newest first within (issue 17), on the page the API answered.
  const items =
    preset === 'intake'
      ? [...(query.data?.items ?? [])].sort((a, b) => {
          const abuse = (x: typeof a) => ('mainConsultationType' in x && x.mainConsultationType === 'abuse' ? 0 : 1);
          const opened = (x: typeof a) => ('openedAt' in x ? x.openedAt : '');
          return abuse(a) - abuse(b) || opened(b).localeCompare(opened(a));
        })
      : (query.data?.items ?? []);

  return (
    <>
      <PageTitle>{preset ? TITLES[preset] : 'ケース一覧'}</PageTitle>
      <Group gap="xs" mb="sm" align="flex-end">
        <form onSubmit={onSearch} role="search" aria-label="ケース検索">
          <Group gap={4} align="flex-end">
            <TextInput
              label="検索（ケース番号・氏名・ふりがな）"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={280}
              size="xs"
            />
            <Button type="submit" size="xs">
              検索
            </Button>
          </Group>
        </form>
        {!preset && (
          <Select
            label="状態"
            size="xs"
            w={160}
            data={statuses}
            value={status ?? null}
            onChange={(v) => update('status', v)}
            clearable
          />
        )}
        <Select
          label="リスク"
          size="xs"
          w={100}
          data={risks}
          value={risk ?? null}
          onChange={(v) => update('risk', v)}
          clearable
        />
        <Select
          label="要対協登録"
          size="xs"
          w={180}
          data={protections}
          value={protection ?? null}
          onChange={(v) => update('protection', v)}
          clearable
        />
        <Checkbox
          size="xs"
          mb={6}
          label="期限超過タスクあり"
          checked={overdue}
          onChange={(e) => update('overdue', e.currentTarget.checked ? 'true' : null)}
        />
      </Group>
      <QueryState query={query} empty={items.length === 0} />
      {items.length > 0 && (
        <Table striped highlightOnHover withTableBorder className="tsunagu-table" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>ケース番号</Table.Th>
              <Table.Th>氏名</Table.Th>
              <Table.Th>ふりがな</Table.Th>
              <Table.Th>生年月日（年齢）</Table.Th>
              <Table.Th>主訴</Table.Th>
              <Table.Th>状態</Table.Th>
              <Table.Th>リスク</Table.Th>
              <Table.Th>要対協</Table.Th>
              <Table.Th>受付日</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) =>
              !('subjectName' in c) ? (
                // The case header only (staff): number, initials, status (access.md).
                <Table.Tr key={c.id}>
                  <Table.Td>{c.number}</Table.Td>
                  <Table.Td>{c.initials}</Table.Td>
                  <Table.Td colSpan={3} />
                  <Table.Td>
                    <StatusBadge status={c.status} />
                  </Table.Td>
                  <Table.Td colSpan={3} />
                </Table.Tr>
              ) : (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Link to={`/cases/${c.id}`}>{c.number}</Link>
                    {c.confidential && (
                      <Badge size="xs" color="grape" ml={4}>
                        秘匿
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{c.subjectName}</Table.Td>
                  <Table.Td>{c.subjectNameKana ?? '—'}</Table.Td>
                  <Table.Td>
                    {formatDate(c.subjectBirthDate)}
                    {c.subjectBirthDate && `（${ageOf(c.subjectBirthDate)}歳）`}
                  </Table.Td>
                  <Table.Td>{label('consultationTypes', c.mainConsultationType)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={c.status} />
                  </Table.Td>
                  <Table.Td>{label('riskLevels', c.risk)}</Table.Td>
                  <Table.Td>{label('protectionRegistrations', c.protection)}</Table.Td>
                  <Table.Td>{formatDate(c.openedAt)}</Table.Td>
                </Table.Tr>
              ),
            )}
          </Table.Tbody>
        </Table>
      )}
      <Pager pages={pages} nextCursor={query.data?.nextCursor} />
    </>
  );
}

const STATUS_COLORS: Record<Status, string> = {
  intake: 'orange',
  assessment: 'yellow',
  active: 'blue',
  monitoring: 'teal',
  closure_requested: 'grape',
  closed: 'gray',
};

export function StatusBadge({ status }: { status: Status }) {
  const label = useLabel();
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" autoContrast>
      {label('caseStatuses', status)}
    </Badge>
  );
}
