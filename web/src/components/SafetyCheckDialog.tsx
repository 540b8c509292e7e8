import { Alert, Button, Group, Modal, Radio, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api/client';
import { useOptions } from '../codes';
import { fromJstLocalInput, toJstLocalInput } from '../format';
import { fieldErrorsOf } from '../problems';
import { ErrorBanner } from './ui';

type Task = Schemas['TaskView'];
type Outcome = Schemas['SafetyCheckOutcomeDto'];

/** Completing a task; a safety check (安全確認, the 48-hour rule) records how the child was seen. */
export function CompleteTaskDialog({ task, onClose }: { task: Task; onClose: () => void }) {
  const queryClient = useQueryClient();
  const results = useOptions('safetyCheckResults');
  const methods = useOptions('sightingMethods');
  const isSafetyCheck = task.kind === 'safety_check';
  const [seenAt, setSeenAt] = useState(toJstLocalInput(new Date()));
  const [place, setPlace] = useState('');
  const [seenBy, setSeenBy] = useState('');
  const [method, setMethod] = useState<string>('direct');
  const [result, setResult] = useState<string>('safe');
  const [concerns, setConcerns] = useState('');
  const [note, setNote] = useState('');

  const complete = useMutation({
    mutationFn: async () => {
      const outcome: Outcome | undefined = isSafetyCheck
        ? {
            seenAt: fromJstLocalInput(seenAt),
            place,
            seenBy,
            result: result as Outcome['result'],
            ...(result !== 'not_seen' ? { method: method as Outcome['method'] } : {}),
            ...(result === 'concerns' || concerns ? { concerns } : {}),
          }
        : undefined;
      return unwrap(
        await api.POST('/api/v1/tasks/{id}/complete', {
          params: { path: { id: task.id } },
          body: { ...(note ? { note } : {}), ...(outcome ? { outcome } : {}) },
        }),
      );
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['tasks'] });
      await queryClient.invalidateQueries({ queryKey: ['case', task.caseId] });
      onClose();
    },
  });
  const errors = fieldErrorsOf(complete.error);

  return (
    <Modal opened onClose={onClose} title={isSafetyCheck ? '安全確認の結果を記録' : 'タスクを完了'} size="lg">
      <Stack gap="sm">
        <Alert color="gray">{task.title}</Alert>
        <ErrorBanner error={complete.error} />
        {isSafetyCheck && (
          <>
            <TextInput
              type="datetime-local"
              label="確認日時"
              required
              value={seenAt}
              onChange={(e) => setSeenAt(e.currentTarget.value)}
              error={errors['outcome.seenAt']}
            />
            <TextInput
              label="確認場所"
              required
              value={place}
              onChange={(e) => setPlace(e.currentTarget.value)}
              error={errors['outcome.place']}
            />
            <TextInput
              label="確認者"
              required
              value={seenBy}
              onChange={(e) => setSeenBy(e.currentTarget.value)}
              error={errors['outcome.seenBy']}
            />
            <Radio.Group label="結果" value={result} onChange={setResult} error={errors['outcome.result']}>
              <Group mt={4}>
                {results.map((o) => (
                  <Radio key={o.value} value={o.value} label={o.label} />
                ))}
              </Group>
            </Radio.Group>
            {result !== 'not_seen' && (
              <Radio.Group label="確認方法" value={method} onChange={setMethod} error={errors['outcome.method']}>
                <Group mt={4}>
                  {methods.map((o) => (
                    <Radio key={o.value} value={o.value} label={o.label} />
                  ))}
                </Group>
              </Radio.Group>
            )}
            <Textarea
              label="気になる点"
              required={result === 'concerns'}
              autosize
              minRows={2}
              value={concerns}
              onChange={(e) => setConcerns(e.currentTarget.value)}
              error={errors['outcome.concerns']}
            />
          </>
        )}
        <Textarea
          label="メモ"
          autosize
          minRows={2}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          error={errors.note}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            閉じる
          </Button>
          <Button onClick={() => complete.mutate()} loading={complete.isPending}>
            完了にする
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
