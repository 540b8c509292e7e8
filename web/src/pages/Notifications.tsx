import { Badge, Button, Group, SegmentedControl, Table } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { PageTitle, Pager, QueryState, useCursorPages } from '../components/ui';
import { formatDateTime } from '../format';

/** My notifications: unread first by default, each marked read on its own. */
export function NotificationsPage() {
  const queryClient = useQueryClient();
  const [unread, setUnread] = useState<'true' | 'all'>('true');
  const pages = useCursorPages();
  const { cursor } = pages;
  const query = useQuery({
    queryKey: ['notifications', unread, cursor],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/notifications', {
          params: { query: { ...(unread === 'true' ? { unread: 'true' as const } : {}), limit: 50, cursor } },
        }),
      ),
  });
  const read = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const items = query.data?.items ?? [];
  return (
    <>
      <PageTitle
        right={
          <SegmentedControl
            size="xs"
            value={unread}
            onChange={(v) => {
              setUnread(v as 'true' | 'all');
              pages.reset();
            }}
            data={[
              { value: 'true', label: '未読' },
              { value: 'all', label: 'すべて' },
            ]}
          />
        }
      >
        通知
      </PageTitle>
      <QueryState query={query} empty={items.length === 0} />
      {items.length > 0 && (
        <Table striped withTableBorder verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>日時</Table.Th>
              <Table.Th>内容</Table.Th>
              <Table.Th>関連</Table.Th>
              <Table.Th>操作</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((n) => (
              <Table.Tr key={n.id} fw={n.readAt ? undefined : 700}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(n.createdAt)}</Table.Td>
                <Table.Td>
                  {!n.readAt && (
                    <Badge size="xs" color="red" mr={6}>
                      未読
                    </Badge>
                  )}
                  {n.title}
                </Table.Td>
                <Table.Td>{n.caseId && <Link to={`/cases/${n.caseId}`}>ケースを開く</Link>}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {!n.readAt && (
                      <Button size="compact-xs" variant="light" onClick={() => read.mutate(n.id)}>
                        既読にする
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Pager pages={pages} nextCursor={query.data?.nextCursor} />
    </>
  );
}
