import { Table, Text } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { byUrgency, TaskTable } from '../components/TaskTable';
import { PageTitle, QueryState } from '../components/ui';
import { useUser } from '../session';

/** Overdue and escalated work across the districts the supervisor oversees (the API scopes the list). */
export function OverdueWorkPage() {
  const query = useQuery({
    queryKey: ['tasks', 'overdue'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/tasks', { params: { query: { overdue: 'true', status: 'open', limit: 100 } } })),
  });
  const tasks = [...(query.data?.items ?? [])].sort(byUrgency);
  return (
    <>
      <PageTitle>期限超過・エスカレーション</PageTitle>
      <Text size="sm" mb="xs">
        担当地区で期限を過ぎた未完了のタスクです（期限から24時間、安全確認は2時間を過ぎるとスーパーバイザーに通知されます）。
      </Text>
      <QueryState query={query} empty={tasks.length === 0} />
      {tasks.length > 0 && <TaskTable tasks={tasks} canComplete={() => true} />}
    </>
  );
}

const OPEN = ['intake', 'assessment', 'active', 'monitoring', 'closure_requested'] as const;

/** Caseloads: open cases per counselor of each overseen district (primary assignments, from the case list). */
export function CaseloadsPage() {
  const user = useUser();
  const overseen = user.districts.filter((d) => d.role === 'supervisor');
  const members = useQueries({
    queries: overseen.map((d) => ({
      queryKey: ['district-members', d.districtId],
      queryFn: async () =>
        unwrap(await api.GET('/api/v1/districts/{id}/members', { params: { path: { id: d.districtId } } })),
    })),
  });
  const counselors = members
    .flatMap((m) => m.data?.items ?? [])
    .filter((m) => m.role !== 'supervisor' && !m.validTo)
    .filter((m, i, all) => all.findIndex((x) => x.userId === m.userId) === i);
  const loads = useQueries({
    queries: counselors.map((m) => ({
      queryKey: ['caseload', m.userId],
      queryFn: async () => {
        const page = unwrap(
          await api.GET('/api/v1/cases', { params: { query: { counselorId: m.userId, limit: 100 } } }),
        );
        const open = page.items.filter((c) => (OPEN as readonly string[]).includes(c.status));
        return {
          open: open.length,
          more: page.nextCursor !== null,
          urgent: open.filter((c) => 'risk' in c && (c.risk === 'urgent' || c.risk === 'high')).length,
        };
      },
    })),
  });
  return (
    <>
      <PageTitle>担当件数（相談員別）</PageTitle>
      {overseen.length === 0 && <Text size="sm">担当する地区がありません。</Text>}
      {members.some((m) => m.isPending) && <QueryState query={{ isPending: true, error: null }} />}
      <Table withTableBorder striped maw={720}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>相談員</Table.Th>
            <Table.Th>地区</Table.Th>
            <Table.Th>担当中のケース</Table.Th>
            <Table.Th>うちリスク高・緊急</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {counselors.map((m, i) => (
            <Table.Tr key={m.userId}>
              <Table.Td>
                <Link to={`/cases?counselorId=${m.userId}`}>{m.displayName}</Link>
              </Table.Td>
              <Table.Td>{overseen.find((d) => d.districtId === m.districtId)?.name}</Table.Td>
              <Table.Td>{loads[i]?.data ? `${loads[i].data.open}${loads[i].data.more ? '+' : ''}件` : '…'}</Table.Td>
              <Table.Td>{loads[i]?.data ? `${loads[i].data.urgent}件` : '…'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
