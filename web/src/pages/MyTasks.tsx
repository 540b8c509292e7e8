import { SegmentedControl } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { byUrgency, TaskTable } from '../components/TaskTable';
import { PageTitle, Pager, QueryState, useCursorPages } from '../components/ui';
import { useUser } from '../session';

/** My tasks (everyone): open work, overdue first; a safety check with its time left. */
export function MyTasksPage() {
  const user = useUser();
  const [status, setStatus] = useState<'open' | 'done'>('open');
  const pages = useCursorPages();
  const { cursor } = pages;
  const query = useQuery({
    queryKey: ['tasks', 'me', status, cursor],
    // Work arrives from other people's actions (an intake, a handover): always ask again on arrival.
    refetchOnMount: 'always',
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/tasks', { params: { query: { assigneeId: 'me', status, limit: 50, cursor } } })),
  });
  const tasks = [...(query.data?.items ?? [])].sort(byUrgency);
  return (
    <>
      <PageTitle
        right={
          <SegmentedControl
            size="xs"
            value={status}
            onChange={(v) => {
              setStatus(v as 'open' | 'done');
              pages.reset();
            }}
            data={[
              { value: 'open', label: '未完了' },
              { value: 'done', label: '完了済み' },
            ]}
          />
        }
      >
        マイタスク
      </PageTitle>
      <QueryState query={query} empty={tasks.length === 0} />
      {tasks.length > 0 && <TaskTable tasks={tasks} canComplete={(t) => t.assigneeId === user.id} />}
      <Pager pages={pages} nextCursor={query.data?.nextCursor} />
    </>
  );
}
