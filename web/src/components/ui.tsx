import { Alert, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { isVersionConflict, problemMessage } from '../problems';

export function PageTitle({ children, right }: { children: ReactNode; right?: ReactNode }) {
  return (
    <Group justify="space-between" mb="sm">
      <Title order={2} size="h3">
        {children}
      </Title>
      {right}
    </Group>
  );
}

/** Loading, refusal and empty states in one place, so every screen says them the same way. */
export function QueryState({ query, empty }: { query: { isPending: boolean; error: unknown }; empty?: boolean }) {
  if (query.isPending) return <Loader size="sm" role="status" aria-label="読み込み中" />;
  if (query.error) return <ErrorBanner error={query.error} />;
  if (empty)
    return (
      <Text c="dimmed" size="sm">
        該当するものはありません。
      </Text>
    );
  return null;
}

/**
 * A refused request in words; a 409 version conflict says someone else
 * changed the record and offers to reload it (issue 17).
 */
export function ErrorBanner({ error, onReload }: { error: unknown; onReload?: () => void }) {
  if (!error) return null;
  return (
    <Alert color={isVersionConflict(error) ? 'orange' : 'red'} role="alert" mb="sm">
      <Stack gap={6}>
        <Text size="sm">{problemMessage(error)}</Text>
        {isVersionConflict(error) && onReload && (
          <Group>
            <Button size="compact-sm" variant="white" onClick={onReload}>
              最新の内容を読み込む
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

/** A dialog's footer, the same in every dialog: やめる, then its one action, busy while the request runs. */
export function DialogActions({
  onCancel,
  onConfirm,
  label,
  loading,
  color,
  disabled,
}: {
  onCancel: () => void;
  onConfirm: () => void;
  label: string;
  loading: boolean;
  color?: 'red';
  disabled?: boolean;
}) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        やめる
      </Button>
      <Button color={color} onClick={onConfirm} loading={loading} disabled={disabled}>
        {label}
      </Button>
    </Group>
  );
}

/** Cursor paging (api.md, "Lists"): the API's nextCursor, and a stack of the cursors that led here. */
export function Pager({
  hasPrevious,
  nextCursor,
  onPrevious,
  onNext,
}: {
  hasPrevious: boolean;
  nextCursor: string | null | undefined;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
}) {
  if (!hasPrevious && !nextCursor) return null;
  return (
    <Group justify="flex-end" mt="xs" gap="xs">
      <Button size="compact-sm" variant="default" disabled={!hasPrevious} onClick={onPrevious}>
        前へ
      </Button>
      <Button
        size="compact-sm"
        variant="default"
        disabled={!nextCursor}
        onClick={() => nextCursor && onNext(nextCursor)}
      >
        次へ
      </Button>
    </Group>
  );
}
