import { Anchor, Badge, Button, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Schemas } from '../api/client';
import { useLabel } from '../codes';
import { formatDateTime, timeLeft } from '../format';
import { useUser } from '../session';
import { CompleteTaskDialog } from './SafetyCheckDialog';

type Task = Schemas['TaskView'];

/** Open work first, overdue at the top, then by due time (issue 17: "overdue first"). */
export function byUrgency(a: Task, b: Task): number {
  if (a.status !== b.status) return a.status === 'open' ? -1 : 1;
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  return a.dueAt.localeCompare(b.dueAt);
}

/** A 48-hour safety check shows its time left, red under 12 hours (domain.md, the 48-hour rule). */
export function DueCell({ task }: { task: Task }) {
  if (task.status !== 'open') return <Text size="sm">{formatDateTime(task.dueAt)}</Text>;
  const left = timeLeft(task.dueAt);
  const red = task.overdue || (task.kind === 'safety_check' && left.hours < 12);
  return (
    <div>
      <Text size="sm">{formatDateTime(task.dueAt)}</Text>
      {(task.kind === 'safety_check' || task.overdue) && (
        <Text size="xs" fw={700} c={red ? 'red.8' : 'dark'} data-testid="time-left">
          {left.text}
        </Text>
      )}
    </div>
  );
}

export function TaskTable({
  tasks,
  showCase = true,
  canComplete,
}: {
  tasks: Task[];
  showCase?: boolean;
  canComplete: (t: Task) => boolean;
}) {
  const label = useLabel();
  const user = useUser();
  // Contacts are read with the case: counselors and supervisors, never staff (access.md).
  const readsContacts = user.has('counselor') || user.has('supervisor');
  const [completing, setCompleting] = useState<Task | null>(null);
  return (
    <>
      <Table striped highlightOnHover withTableBorder className="tsunagu-table" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>種別</Table.Th>
            <Table.Th>件名</Table.Th>
            <Table.Th>期限</Table.Th>
            <Table.Th>優先度</Table.Th>
            <Table.Th>状態</Table.Th>
            {showCase && <Table.Th>ケース</Table.Th>}
            <Table.Th>操作</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((t) => (
            <Table.Tr key={t.id} className={t.overdue ? 'tsunagu-overdue' : undefined}>
              <Table.Td>
                <Badge
                  variant={t.kind === 'safety_check' ? 'filled' : 'light'}
                  color={t.kind === 'safety_check' ? 'red' : 'gray'}
                >
                  {label('taskKinds', t.kind)}
                </Badge>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'normal' }}>
                {t.title}
                {t.kind === 'callback' && t.status === 'open' && readsContacts && (
                  <Text size="xs">
                    {/* The number to call, with its note (夜間不可...), is on the case's contacts tab. */}
                    <Anchor component={Link} to={`/cases/${t.caseId}?tab=household`}>
                      連絡先を見る
                    </Anchor>
                  </Text>
                )}
                {t.outcome && (
                  <Text size="xs" c="dimmed">
                    結果: {label('safetyCheckResults', t.outcome.result)}（{formatDateTime(t.outcome.seenAt)}・
                    {t.outcome.place}）
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <DueCell task={t} />
              </Table.Td>
              <Table.Td>{label('taskPriorities', t.priority)}</Table.Td>
              <Table.Td>{t.overdue ? <Badge color="red">期限超過</Badge> : label('taskStatuses', t.status)}</Table.Td>
              {showCase && (
                <Table.Td>
                  <Link to={`/cases/${t.caseId}`}>ケースを開く</Link>
                </Table.Td>
              )}
              <Table.Td>
                {t.status === 'open' && canComplete(t) && (
                  <Button size="compact-xs" onClick={() => setCompleting(t)}>
                    {t.kind === 'safety_check' ? '安全確認を記録' : '完了'}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {completing && <CompleteTaskDialog task={completing} onClose={() => setCompleting(null)} />}
    </>
  );
}
