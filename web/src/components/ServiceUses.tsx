import {
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api/client';
import { formatCalendarDate, toJstLocalInput } from '../format';
import { fieldErrorsOf } from '../problems';
import { ErrorBanner, Pager, QueryState, DialogActions, useCursorPages } from './ui';

type CaseDetail = Schemas['CaseDetail'];
type Use = Schemas['ServiceUseView'];

function useServiceDirectory() {
  const services = useQuery({
    queryKey: ['services'],
    queryFn: async () => unwrap(await api.GET('/api/v1/services')),
    staleTime: 5 * 60_000,
  });
  const orgs = useQuery({
    queryKey: ['organizations'],
    queryFn: async () => unwrap(await api.GET('/api/v1/organizations', { params: { query: { limit: 100 } } })),
  });
  const serviceItems = services.data?.items ?? [];
  const orgItems = orgs.data?.items ?? [];
  return {
    service: (code: string) => serviceItems.find((s) => s.code === code),
    orgName: (id: string | null) => (id ? (orgItems.find((o) => o.id === id)?.name ?? '（不明な機関）') : 'センター'),
    serviceOptions: serviceItems.filter((s) => s.active).map((s) => ({ value: s.code, label: s.label.ja })),
    orgOptions: orgItems.map((o) => ({ value: o.id, label: o.name })),
  };
}

/**
 * Services delivered to the case (利用実績, docs/domain.md "Services"): the
 * list newest first, cancelled ones marked with why; recording a use and
 * withdrawing one recorded by mistake follow the case's edit right.
 */
export function ServiceUses({ c, canEdit }: { c: CaseDetail; canEdit: boolean }) {
  const dir = useServiceDirectory();
  const pages = useCursorPages();
  const [recording, setRecording] = useState(false);
  const [cancelling, setCancelling] = useState<Use | null>(null);
  const { cursor } = pages;
  const query = useQuery({
    queryKey: ['case', c.id, 'service-uses', cursor],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/cases/{id}/service-uses', {
          params: { path: { id: c.id }, query: { limit: 20, cursor } },
        }),
      ),
  });
  const items = query.data?.items ?? [];
  const measured = (u: Use) => (u.nights !== null ? `${u.nights}泊` : u.hours !== null ? `${u.hours}時間` : '—');
  return (
    <Stack gap="xs" mt="md">
      <Group justify="space-between">
        <Title order={3} size="h4">
          サービス利用実績
        </Title>
        {canEdit && (
          <Button size="compact-sm" variant="light" onClick={() => setRecording(true)}>
            利用実績を記録
          </Button>
        )}
      </Group>
      <QueryState query={query} empty={items.length === 0} />
      {items.length > 0 && (
        <Table withTableBorder striped verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>利用日</Table.Th>
              <Table.Th>サービス</Table.Th>
              <Table.Th>泊数・時間</Table.Th>
              <Table.Th>人数</Table.Th>
              <Table.Th>提供機関</Table.Th>
              <Table.Th>記録者</Table.Th>
              <Table.Th>状態・備考</Table.Th>
              {canEdit && <Table.Th aria-label="操作" />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {formatCalendarDate(u.startDate)}
                  {u.endDate !== u.startDate && `〜${formatCalendarDate(u.endDate)}`}
                </Table.Td>
                <Table.Td>{dir.service(u.serviceCode)?.label.ja ?? u.serviceCode}</Table.Td>
                <Table.Td>{measured(u)}</Table.Td>
                <Table.Td>{u.persons}人</Table.Td>
                <Table.Td>{dir.orgName(u.providerOrganizationId)}</Table.Td>
                <Table.Td>{u.recordedByUser.displayName}</Table.Td>
                <Table.Td className="tsunagu-wrap">
                  {u.status === 'cancelled' ? (
                    <>
                      <Badge color="gray" variant="light" autoContrast size="sm" mr={4}>
                        取消
                      </Badge>
                      {u.cancelledByUser?.displayName}：{u.cancelReason}
                    </>
                  ) : (
                    (u.note ?? '')
                  )}
                </Table.Td>
                {canEdit && (
                  <Table.Td>
                    {u.status === 'recorded' && (
                      <Button size="compact-xs" variant="default" onClick={() => setCancelling(u)}>
                        取消
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Pager pages={pages} nextCursor={query.data?.nextCursor} />
      {recording && <RecordUse c={c} onClose={() => setRecording(false)} />}
      {cancelling && <CancelUse c={c} use={cancelling} onClose={() => setCancelling(null)} />}
    </Stack>
  );
}

function RecordUse({ c, onClose }: { c: CaseDetail; onClose: () => void }) {
  const queryClient = useQueryClient();
  const dir = useServiceDirectory();
  const today = toJstLocalInput(new Date()).slice(0, 10);
  const [f, setF] = useState({
    serviceCode: null as string | null,
    startDate: today,
    endDate: '',
    nights: '' as number | string,
    hours: '' as number | string,
    persons: 1 as number | string,
    providerOrganizationId: null as string | null,
    note: '',
  });
  const measure = f.serviceCode ? dir.service(f.serviceCode)?.measure : undefined;
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/cases/{id}/service-uses', {
          params: { path: { id: c.id } },
          body: {
            serviceCode: f.serviceCode ?? '',
            startDate: f.startDate,
            ...(f.endDate ? { endDate: f.endDate } : {}),
            ...(measure === 'nights' && f.nights !== '' ? { nights: Number(f.nights) } : {}),
            ...(measure === 'hours' && f.hours !== '' ? { hours: Number(f.hours) } : {}),
            persons: Number(f.persons),
            ...(f.providerOrganizationId ? { providerOrganizationId: f.providerOrganizationId } : {}),
            ...(f.note ? { note: f.note } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['case', c.id, 'service-uses'] });
      // A use counts against the plan in force ("この計画でのサービス利用実績").
      await queryClient.invalidateQueries({ queryKey: ['case', c.id, 'plans'] });
      onClose();
    },
  });
  const e = fieldErrorsOf(save.error);
  return (
    <Modal opened onClose={onClose} title="サービス利用実績を記録" size="lg">
      <Stack gap="sm">
        <ErrorBanner error={save.error} />
        <Select
          label="サービス"
          required
          data={dir.serviceOptions}
          value={f.serviceCode}
          onChange={(v) => setF({ ...f, serviceCode: v, nights: '', hours: '' })}
          error={e.serviceCode}
        />
        <SimpleGrid cols={2} spacing="xs">
          <TextInput
            type="date"
            label="利用日（開始日）"
            required
            value={f.startDate}
            onChange={(x) => setF({ ...f, startDate: x.currentTarget.value })}
            error={e.startDate}
          />
          <TextInput
            type="date"
            label="終了日"
            description="複数日にわたる場合"
            value={f.endDate}
            onChange={(x) => setF({ ...f, endDate: x.currentTarget.value })}
            error={e.endDate}
          />
          {measure === 'nights' && (
            <NumberInput
              label="泊数"
              required
              min={1}
              value={f.nights}
              onChange={(v) => setF({ ...f, nights: v })}
              error={e.nights}
            />
          )}
          {measure === 'hours' && (
            <NumberInput
              label="時間数"
              description="0.5時間単位"
              required
              min={0.5}
              step={0.5}
              decimalScale={1}
              value={f.hours}
              onChange={(v) => setF({ ...f, hours: v })}
              error={e.hours}
            />
          )}
          <NumberInput
            label="人数"
            min={1}
            max={20}
            value={f.persons}
            onChange={(v) => setF({ ...f, persons: v })}
            error={e.persons}
          />
        </SimpleGrid>
        <Select
          label="提供機関"
          placeholder="センター"
          clearable
          searchable
          data={dir.orgOptions}
          value={f.providerOrganizationId}
          onChange={(v) => setF({ ...f, providerOrganizationId: v })}
          error={e.providerOrganizationId}
        />
        <Textarea
          label="備考"
          autosize
          minRows={1}
          value={f.note}
          onChange={(x) => setF({ ...f, note: x.currentTarget.value })}
          error={e.note}
        />
        {!f.serviceCode && (
          <Text size="xs" c="dimmed">
            サービスを選ぶと、泊数や時間数の入力欄が必要に応じて表示されます。
          </Text>
        )}
        <DialogActions onCancel={onClose} onConfirm={() => save.mutate()} label="記録する" loading={save.isPending} />
      </Stack>
    </Modal>
  );
}

/** A use recorded by mistake is withdrawn with a reason, never deleted (it then counts nowhere). */
function CancelUse({ c, use, onClose }: { c: CaseDetail; use: Use; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const cancel = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/service-uses/{id}/cancel', { params: { path: { id: use.id } }, body: { reason } }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['case', c.id, 'service-uses'] });
      await queryClient.invalidateQueries({ queryKey: ['case', c.id, 'plans'] });
      onClose();
    },
  });
  const e = fieldErrorsOf(cancel.error);
  return (
    <Modal opened onClose={onClose} title="利用実績の取消">
      <Stack gap="sm">
        <ErrorBanner error={cancel.error} />
        <Text size="sm">取り消した記録は残りますが、統計には数えられません。</Text>
        <Textarea
          label="取消の理由"
          required
          autosize
          minRows={2}
          value={reason}
          onChange={(x) => setReason(x.currentTarget.value)}
          error={e.reason}
        />
        <DialogActions
          onCancel={onClose}
          onConfirm={() => cancel.mutate()}
          label="取り消す"
          loading={cancel.isPending}
          color="red"
        />
      </Stack>
    </Modal>
  );
}
