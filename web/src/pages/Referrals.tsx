import {
  Badge,
  Button,
  Fieldset,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { useLabel, useOptions } from '../codes';
import { ErrorBanner, PageTitle, Pager, QueryState, useCursorPages } from '../components/ui';
import { formatDateTime } from '../format';
import { fieldErrorsOf } from '../problems';

type Referral = Schemas['ReferralView'];
type Board = 'sent' | 'overdue' | 'active' | 'all';

const BOARD_QUERY: Record<Board, { status?: Referral['status']; overdue?: 'true' }> = {
  sent: { status: 'sent' },
  overdue: { overdue: 'true' },
  active: { status: 'in_progress' },
  all: {},
};

/** Referrals board (staff): sent and awaiting an answer, overdue, in progress; register an incoming one. */
export function ReferralsPage() {
  const label = useLabel();
  const [board, setBoard] = useState<Board>('sent');
  const pages = useCursorPages();
  const [registering, setRegistering] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const { cursor } = pages;
  const query = useQuery({
    queryKey: ['referrals', board, cursor],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/referrals', { params: { query: { ...BOARD_QUERY[board], limit: 50, cursor } } })),
  });
  const items = query.data?.items ?? [];
  return (
    <>
      <PageTitle
        right={
          <Button size="compact-sm" onClick={() => setRegistering(true)}>
            受理した送致・通告を登録
          </Button>
        }
      >
        送致・連携
      </PageTitle>
      <Tabs
        value={board}
        onChange={(v) => {
          setBoard((v as Board) ?? 'sent');
          pages.reset();
        }}
        mb="sm"
      >
        <Tabs.List>
          <Tabs.Tab value="sent">送付済み・回答待ち</Tabs.Tab>
          <Tabs.Tab value="overdue">回答期限超過</Tabs.Tab>
          <Tabs.Tab value="active">対応中</Tabs.Tab>
          <Tabs.Tab value="all">すべて</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <QueryState query={query} empty={items.length === 0} />
      {items.length > 0 && (
        <Table striped withTableBorder className="tsunagu-table" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>ケース</Table.Th>
              <Table.Th>方向・種別</Table.Th>
              <Table.Th>関係機関</Table.Th>
              <Table.Th>緊急度</Table.Th>
              <Table.Th>状態</Table.Th>
              <Table.Th>回答期限</Table.Th>
              <Table.Th>操作</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.id} className={r.overdue ? 'tsunagu-overdue' : undefined}>
                <Table.Td>
                  {r.case.number}（{r.case.initials}）
                </Table.Td>
                <Table.Td>
                  {label('referralDirections', r.direction)}・{label('referralKinds', r.kind)}
                </Table.Td>
                <Table.Td>{r.organization.name}</Table.Td>
                <Table.Td>{label('referralUrgencies', r.urgency)}</Table.Td>
                <Table.Td>
                  {label('referralStatuses', r.status)}
                  {r.overdue && (
                    <Badge color="red" size="xs" ml={4}>
                      期限超過
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{formatDateTime(r.responseDueAt)}</Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="light" onClick={() => setOpenId(r.id)}>
                    詳細・操作
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Pager pages={pages} nextCursor={query.data?.nextCursor} />
      {registering && <IncomingReferral onClose={() => setRegistering(false)} />}
      {openId && <ReferralDetail id={openId} onClose={() => setOpenId(null)} onOpen={setOpenId} />}
    </>
  );
}

/** An incoming referral or notification: with no case yet, its subject opens one in `intake` (api.md). */
function IncomingReferral({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const kinds = useOptions('referralKinds');
  const urgencies = useOptions('referralUrgencies');
  const bases = useOptions('legalBases');
  const sexes = useOptions('sexes');
  const key = useRef(crypto.randomUUID());
  const orgs = useQuery({
    queryKey: ['organizations'],
    queryFn: async () => unwrap(await api.GET('/api/v1/organizations', { params: { query: { limit: 100 } } })),
  });
  const [f, setF] = useState({
    organizationId: null as string | null,
    kind: 'notification',
    urgency: 'priority',
    legalBasis: 'statutory',
    reason: '',
    sharedInformation: '',
    familyName: '',
    givenName: '',
    familyNameKana: '',
    givenNameKana: '',
    birthDate: '',
    sex: 'unknown',
    address: '',
  });
  const [created, setCreated] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: async (confirmNew: boolean) =>
      unwrap(
        await api.POST('/api/v1/referrals', {
          params: { header: { 'Idempotency-Key': `${key.current}-${confirmNew}` } },
          body: {
            direction: 'incoming',
            organizationId: f.organizationId ?? '',
            kind: f.kind as never,
            urgency: f.urgency as never,
            legalBasis: f.legalBasis as never,
            reason: f.reason,
            sharedInformation: f.sharedInformation,
            subject: {
              familyName: f.familyName,
              givenName: f.givenName,
              familyNameKana: f.familyNameKana,
              givenNameKana: f.givenNameKana,
              sex: f.sex as never,
              kind: 'child',
              ...(f.birthDate ? { birthDate: f.birthDate } : {}),
            },
            household: { address: f.address, members: [] },
            ...(confirmNew ? { confirmNew: true } : {}),
          },
        }),
      ),
    onSuccess: async (r) => {
      await queryClient.invalidateQueries({ queryKey: ['referrals'] });
      setCreated(r.caseId ?? null);
    },
  });
  const e = fieldErrorsOf(save.error);
  const t = (k: keyof typeof f) => (x: { currentTarget: { value: string } }) =>
    setF({ ...f, [k]: x.currentTarget.value });
  return (
    <Modal opened onClose={onClose} title="受理した送致・通告の登録" size="xl">
      <Stack gap="xs">
        <ErrorBanner error={save.error} />
        {save.error && (save.error as { code?: string }).code === 'possible_duplicate' && (
          <Button color="orange" size="compact-sm" onClick={() => save.mutate(true)}>
            別の児童として新規登録
          </Button>
        )}
        {created !== null && (
          <Stack gap={4}>
            <Badge color="green" size="lg">
              登録しました（受付のケースが作成されました）
            </Badge>
            {created && <Link to={`/cases/${created}`}>ケースを開く</Link>}
          </Stack>
        )}
        <SimpleGrid cols={2} spacing="xs">
          <Select
            label="送致元の機関"
            data={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
            value={f.organizationId}
            onChange={(v) => setF({ ...f, organizationId: v })}
            searchable
            error={e.organizationId}
          />
          <Select
            label="種別"
            data={kinds}
            value={f.kind}
            onChange={(v) => setF({ ...f, kind: v ?? f.kind })}
            error={e.kind}
          />
          <Select
            label="緊急度"
            data={urgencies}
            value={f.urgency}
            onChange={(v) => setF({ ...f, urgency: v ?? f.urgency })}
            error={e.urgency}
          />
          <Select
            label="情報提供の根拠"
            data={bases}
            value={f.legalBasis}
            onChange={(v) => setF({ ...f, legalBasis: v ?? f.legalBasis })}
            error={e.legalBasis}
          />
        </SimpleGrid>
        <Textarea
          label="送致・通告の理由"
          autosize
          minRows={2}
          value={f.reason}
          onChange={t('reason')}
          error={e.reason}
        />
        <Textarea
          label="共有された情報"
          autosize
          minRows={2}
          value={f.sharedInformation}
          onChange={t('sharedInformation')}
          error={e.sharedInformation}
        />
        <Fieldset legend="対象児童">
          <SimpleGrid cols={3} spacing="xs">
            <TextInput label="氏" value={f.familyName} onChange={t('familyName')} error={e['subject.familyName']} />
            <TextInput label="名" value={f.givenName} onChange={t('givenName')} error={e['subject.givenName']} />
            <Select label="性別" data={sexes} value={f.sex} onChange={(v) => setF({ ...f, sex: v ?? f.sex })} />
            <TextInput
              label="氏（ふりがな）"
              value={f.familyNameKana}
              onChange={t('familyNameKana')}
              error={e['subject.familyNameKana']}
            />
            <TextInput
              label="名（ふりがな）"
              value={f.givenNameKana}
              onChange={t('givenNameKana')}
              error={e['subject.givenNameKana']}
            />
            <TextInput
              type="date"
              label="生年月日"
              value={f.birthDate}
              onChange={t('birthDate')}
              error={e['subject.birthDate']}
            />
          </SimpleGrid>
          <TextInput mt="xs" label="住所" value={f.address} onChange={t('address')} error={e['household.address']} />
        </Fieldset>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            閉じる
          </Button>
          <Button onClick={() => save.mutate(false)} loading={save.isPending} disabled={created !== null}>
            登録する
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * One referral: its history and exactly the moves the API lists for this
 * user (allowedActions); from it, a new outgoing referral on the same case
 * (staff may send one on any case whose header they see, access.md).
 */
function ReferralDetail({ id, onClose, onOpen }: { id: string; onClose: () => void; onOpen: (id: string) => void }) {
  const label = useLabel();
  const queryClient = useQueryClient();
  const [outgoing, setOutgoing] = useState(false);
  const query = useQuery({
    queryKey: ['referral', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/referrals/{id}', { params: { path: { id } } })),
  });
  const move = useMutation({
    mutationFn: async ({ r, action }: { r: Referral; action: string }) =>
      unwrap(
        await api.POST('/api/v1/referrals/{id}/transitions', {
          params: { path: { id: r.id } },
          body: { action: action as Schemas['ReferralTransitionDto']['action'], version: r.version },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['referrals'] });
      await queryClient.invalidateQueries({ queryKey: ['referral', id] });
    },
  });
  const r = query.data;
  return (
    <Modal opened onClose={onClose} title="送致・連携の詳細" size="xl">
      <QueryState query={query} />
      {r && (
        <Stack gap="xs">
          <ErrorBanner error={move.error} onReload={() => void query.refetch()} />
          <Table withTableBorder verticalSpacing={2}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={140}>ケース</Table.Th>
                <Table.Td>
                  {r.case.number}（{r.case.initials}）
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>方向・種別</Table.Th>
                <Table.Td>
                  {label('referralDirections', r.direction)}・{label('referralKinds', r.kind)}（
                  {label('referralUrgencies', r.urgency)}）
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>関係機関</Table.Th>
                <Table.Td>{r.organization.name}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>状態</Table.Th>
                <Table.Td>
                  {label('referralStatuses', r.status)}　回答期限 {formatDateTime(r.responseDueAt)}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>理由</Table.Th>
                <Table.Td className="tsunagu-wrap">{r.reason ?? '—'}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          {(r.events ?? []).map((ev, i) => (
            <Text key={i} size="xs">
              {formatDateTime(ev.occurredAt)}　{label('referralEventActions', ev.action)}
              {ev.actor && `（${ev.actor.displayName}）`}
              {ev.note && `：${ev.note}`}
            </Text>
          ))}
          <Group gap={4}>
            {(r.allowedActions ?? []).map((a) => (
              <Button key={a} size="compact-sm" onClick={() => move.mutate({ r, action: a })} loading={move.isPending}>
                {label('referralActions', a)}
              </Button>
            ))}
            <Button size="compact-sm" variant="light" onClick={() => setOutgoing(true)}>
              この児童について関係機関へ送致・依頼
            </Button>
          </Group>
          {outgoing && (
            <OutgoingReferral
              caseId={r.caseId}
              onCreated={(newId) => {
                setOutgoing(false);
                onOpen(newId);
              }}
            />
          )}
        </Stack>
      )}
    </Modal>
  );
}

/** A new outgoing referral on a case: saved as a draft, then sent with the "send" move. */
function OutgoingReferral({ caseId, onCreated }: { caseId: string; onCreated: (id: string) => void }) {
  const queryClient = useQueryClient();
  const kinds = useOptions('referralKinds');
  const urgencies = useOptions('referralUrgencies');
  const bases = useOptions('legalBases');
  const key = useRef(crypto.randomUUID());
  const orgs = useQuery({
    queryKey: ['organizations'],
    queryFn: async () => unwrap(await api.GET('/api/v1/organizations', { params: { query: { limit: 100 } } })),
  });
  const [f, setF] = useState({
    organizationId: null as string | null,
    kind: 'information_request',
    urgency: 'priority',
    legalBasis: 'council_member',
    reason: '',
    sharedInformation: '',
  });
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/referrals', {
          params: { header: { 'Idempotency-Key': key.current } },
          body: {
            caseId,
            direction: 'outgoing',
            organizationId: f.organizationId ?? '',
            kind: f.kind as never,
            urgency: f.urgency as never,
            legalBasis: f.legalBasis as never,
            reason: f.reason,
            sharedInformation: f.sharedInformation,
          },
        }),
      ),
    onSuccess: async (r) => {
      await queryClient.invalidateQueries({ queryKey: ['referrals'] });
      onCreated(r.id);
    },
  });
  const e = fieldErrorsOf(save.error);
  return (
    <Fieldset legend="送致・依頼の作成">
      <Stack gap="xs">
        <ErrorBanner error={save.error} />
        <SimpleGrid cols={2} spacing="xs">
          <Select
            label="送致先の機関"
            data={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
            value={f.organizationId}
            onChange={(v) => setF({ ...f, organizationId: v })}
            searchable
            error={e.organizationId}
          />
          <Select
            label="種別"
            data={kinds}
            value={f.kind}
            onChange={(v) => setF({ ...f, kind: v ?? f.kind })}
            error={e.kind}
          />
          <Select
            label="緊急度"
            data={urgencies}
            value={f.urgency}
            onChange={(v) => setF({ ...f, urgency: v ?? f.urgency })}
            error={e.urgency}
          />
          <Select
            label="情報提供の根拠"
            data={bases}
            value={f.legalBasis}
            onChange={(v) => setF({ ...f, legalBasis: v ?? f.legalBasis })}
            error={e.legalBasis}
          />
        </SimpleGrid>
        <Textarea
          label="依頼の内容"
          autosize
          minRows={2}
          value={f.reason}
          onChange={(x) => setF({ ...f, reason: x.currentTarget.value })}
          error={e.reason}
        />
        <Textarea
          label="提供する情報"
          autosize
          minRows={2}
          value={f.sharedInformation}
          onChange={(x) => setF({ ...f, sharedInformation: x.currentTarget.value })}
          error={e.sharedInformation}
        />
        <Group justify="flex-end">
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            下書きとして保存
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
