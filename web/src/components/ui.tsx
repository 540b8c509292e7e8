import { Alert, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
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

/** Cursor paging (api.md, "Lists"): the stack of the API's cursors that led to the page shown. */
export interface CursorPages {
  /** The cursor of the page shown; undefined for the first. */
  cursor: string | undefined;
  hasPrevious: boolean;
  previous: () => void;
  next: (cursor: string) => void;
  /** Back to the first page (the filters changed). */
  reset: () => void;
}

export function useCursorPages(): CursorPages {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    cursor: cursors.at(-1),
    hasPrevious: cursors.length > 0,
    previous: () => setCursors((stack) => stack.slice(0, -1)),
    next: (cursor) => setCursors((stack) => [...stack, cursor]),
    reset: () => setCursors([]),
  };
}

/** 前へ / 次へ over a list's pages; nothing when there is only one. */
export function Pager({ pages, nextCursor }: { pages: CursorPages; nextCursor: string | null | undefined }) {
  if (!pages.hasPrevious && !nextCursor) return null;
  return (
    <Group justify="flex-end" mt="xs" gap="xs">
      <Button size="compact-sm" variant="default" disabled={!pages.hasPrevious} onClick={pages.previous}>
        前へ
      </Button>
      <Button
        size="compact-sm"
        variant="default"
        disabled={!nextCursor}
        onClick={() => nextCursor && pages.next(nextCursor)}
      >
        次へ
      </Button>
    </Group>
  );
}
