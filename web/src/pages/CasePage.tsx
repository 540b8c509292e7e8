import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { useLabel, useOptions } from '../codes';
import { EditCaseButton, NewConferenceButton, NewTaskButton } from '../components/CaseForms';
import { Household } from '../components/Household';
import { SupportPlans } from '../components/SupportPlans';
import { byUrgency, TaskTable } from '../components/TaskTable';
import { type CursorPages, DialogActions, ErrorBanner, QueryState, useCursorPages } from '../components/ui';
import { ageOf, formatCalendarDate, formatDate, formatDateTime, fromJstLocalInput, toJstLocalInput } from '../format';
import { fieldErrorsOf } from '../problems';
import { useUser } from '../session';
import { StatusBadge } from './CaseList';

type CaseDetail = Schemas['CaseDetail'];

/** The case page: header with status and the actions the API allows, then the record in tabs. */
export function CasePage() {
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: ['case', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}', { params: { path: { id } } })),
  });
  if (!query.data) return <QueryState query={query} />;
  if (!('subject' in query.data)) {
    // Staff read a case's header only (access.md): number, initials, status.
    const h = query.data;
    return (
      <Paper withBorder p="sm">
        <Group gap="xs">
          <Title order={2} size="h3">
            {h.number}（{h.initials}）
          </Title>
          <StatusBadge status={h.status} />
        </Group>
      </Paper>
    );
  }
  return <CaseView c={query.data} reload={() => void query.refetch()} />;
}

function CaseView({ c, reload }: { c: CaseDetail; reload: () => void }) {
  const label = useLabel();
  const user = useUser();
  const s = c.subject;
  // access.md: an assigned counselor, or a supervisor (who reads only the districts they oversee), edits the case.
  const canEdit = c.primaryCounselorId === user.id || c.coCounselorIds.includes(user.id) || user.has('supervisor');
  const [tab, setTab] = useSearchParams();
  return (
    <Stack gap="sm">
      <Paper withBorder p="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Group gap="xs">
              <Title order={2} size="h3">
                {s.familyName} {s.givenName}
              </Title>
              <Text size="sm">
                {s.familyNameKana} {s.givenNameKana}
              </Text>
              <StatusBadge status={c.status} />
              {c.flags.confidential && <Badge color="grape">秘匿</Badge>}
              {c.flags.dvInvolved && <Badge color="pink">DV</Badge>}
              {c.flags.youngCarer && <Badge color="cyan">ヤングケアラー</Badge>}
            </Group>
            <Text size="sm" mt={4}>
              ケース番号 <b>{c.number}</b>　生年月日 {formatCalendarDate(s.birthDate)}
              {s.birthDate && `（${ageOf(s.birthDate)}歳）`}　性別 {label('sexes', s.sex)}　主訴{' '}
              {label('consultationTypes', c.mainConsultationType)}　リスク {label('riskLevels', c.risk)}　要対協{' '}
              {label('protectionRegistrations', c.protection)}　受付 {formatDate(c.openedAt)}
            </Text>
            <Staffing c={c} />
            {c.abuseTypes.length > 0 && (
              <Text size="sm">
                虐待種別 {c.abuseTypes.map((a) => label('abuseTypes', a)).join('・')}　主たる虐待者{' '}
                {label('mainAbuserRelations', c.mainAbuser)}
              </Text>
            )}
          </div>
          <Group gap="xs">
            <CaseActions c={c} onConflictReload={reload} />
            {canEdit && c.status !== 'closed' && <EditCaseButton c={c} onReload={reload} />}
            {user.has('supervisor') && c.status !== 'closed' && <AssignButton c={c} onReload={reload} />}
            <Button component={Link} to={`/cases/${c.id}/print`} variant="default" size="compact-sm">
              印刷（児童記録票）
            </Button>
          </Group>
        </Group>
      </Paper>
      {/* The tab is in the address (?tab=household), so a callback task can link to the contacts. */}
      <Tabs
        value={tab.get('tab') ?? 'progress'}
        onChange={(v) => setTab(v && v !== 'progress' ? { tab: v } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="progress">経過記録</Tabs.Tab>
          <Tabs.Tab value="household">世帯・連絡先</Tabs.Tab>
          <Tabs.Tab value="tasks">タスク</Tabs.Tab>
          <Tabs.Tab value="referrals">送致・連携</Tabs.Tab>
          <Tabs.Tab value="conferences">会議</Tabs.Tab>
          <Tabs.Tab value="plans">支援計画</Tabs.Tab>
          <Tabs.Tab value="events">履歴</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="progress" pt="sm">
          <Progress c={c} canAdd={canEdit && c.status !== 'closed'} />
        </Tabs.Panel>
        <Tabs.Panel value="household" pt="sm">
          <Household c={c} canEdit={canEdit && c.status !== 'closed'} />
        </Tabs.Panel>
        <Tabs.Panel value="tasks" pt="sm">
          {canEdit && c.status !== 'closed' && (
            <Group mb="xs">
              <NewTaskButton c={c} />
            </Group>
          )}
          <CaseTasks caseId={c.id} />
        </Tabs.Panel>
        <Tabs.Panel value="referrals" pt="sm">
          <CaseReferrals caseId={c.id} />
        </Tabs.Panel>
        <Tabs.Panel value="conferences" pt="sm">
          {canEdit && c.status !== 'closed' && (
            <Group mb="xs">
              <NewConferenceButton c={c} />
            </Group>
          )}
          <Conferences caseId={c.id} />
        </Tabs.Panel>
        <Tabs.Panel value="plans" pt="sm">
          <SupportPlans c={c} canEdit={canEdit && c.status !== 'closed'} />
        </Tabs.Panel>
        <Tabs.Panel value="events" pt="sm">
          <Events caseId={c.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/** Exactly the transitions the API lists in allowedActions: a button the API would refuse is never shown. */
function CaseActions({ c, onConflictReload }: { c: CaseDetail; onConflictReload: () => void }) {
  const label = useLabel();
  const queryClient = useQueryClient();
  const closureReasons = useOptions('closureReasons');
  const [action, setAction] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [closureReason, setClosureReason] = useState<string | null>(null);
  const transition = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/cases/{id}/transitions', {
          params: { path: { id: c.id } },
          body: {
            action: action as Schemas['CaseTransitionDto']['action'],
            version: c.version,
            ...(reason ? { reason } : {}),
            ...(closureReason ? { closureReason: closureReason as never } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      setAction(null);
      await queryClient.invalidateQueries({ queryKey: ['case', c.id] });
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
  });
  const errors = fieldErrorsOf(transition.error);
  return (
    <>
      {c.allowedActions.map((a) => (
        <Button
          key={a}
          size="compact-sm"
          color={a === 'reject' || a === 'reject_closure' ? 'red' : undefined}
          onClick={() => {
            transition.reset();
            setReason('');
            setClosureReason(null);
            setAction(a);
          }}
        >
          {label('caseActions', a)}
        </Button>
      ))}
      <Modal
        opened={action !== null}
        onClose={() => setAction(null)}
        title={`${label('caseActions', action)}：${c.number}`}
      >
        <Stack gap="sm">
          <ErrorBanner
            error={transition.error}
            onReload={() => {
              setAction(null);
              onConflictReload();
            }}
          />
          {(action === 'request_closure' || action === 'approve_closure') && (
            <Select
              label="終結理由"
              data={closureReasons}
              value={closureReason}
              onChange={setClosureReason}
              error={errors.closureReason}
            />
          )}
          <Textarea
            label="理由・コメント"
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={errors.reason}
          />
          <DialogActions
            onCancel={() => setAction(null)}
            onConfirm={() => transition.mutate()}
            label={`${label('caseActions', action)}する`}
            loading={transition.isPending}
          />
        </Stack>
      </Modal>
    </>
  );
}

/** Assignment (supervisor): a district they oversee, and counselors who are its members only. */
function AssignButton({ c, onReload }: { c: CaseDetail; onReload: () => void }) {
  const user = useUser();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const overseen = user.districts.filter((d) => d.role === 'supervisor');
  const [districtId, setDistrictId] = useState<string | null>(c.districtId ?? overseen[0]?.districtId ?? null);
  const [primary, setPrimary] = useState<string | null>(c.primaryCounselorId);
  const [co, setCo] = useState<string[]>(c.coCounselorIds);
  const members = useQuery({
    queryKey: ['district-members', districtId],
    enabled: open && !!districtId,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/districts/{id}/members', { params: { path: { id: districtId! } } })),
  });
  const options = (members.data?.items ?? [])
    .filter((m) => m.role !== 'supervisor' && !m.validTo)
    .map((m) => ({ value: m.userId, label: `${m.displayName}${m.role === 'lead' ? '（リーダー）' : ''}` }));
  const assign = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT('/api/v1/cases/{id}/assignment', {
          params: { path: { id: c.id } },
          body: {
            districtId: districtId!,
            primaryCounselorId: primary!,
            coCounselorIds: co.filter((x) => x !== primary),
            version: c.version,
          },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['case', c.id] });
    },
  });
  const errors = fieldErrorsOf(assign.error);
  return (
    <>
      <Button
        size="compact-sm"
        variant="light"
        onClick={() => {
          // Each opening starts from the case as last read (after a 409 reload, the new one).
          setDistrictId(c.districtId ?? overseen[0]?.districtId ?? null);
          setPrimary(c.primaryCounselorId);
          setCo(c.coCounselorIds);
          assign.reset();
          setOpen(true);
        }}
      >
        担当割当
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`担当割当：${c.number}`}>
        <Stack gap="sm">
          <ErrorBanner
            error={assign.error}
            onReload={() => {
              setOpen(false);
              assign.reset();
              onReload();
            }}
          />
          <Select
            label="地区"
            data={overseen.map((d) => ({ value: d.districtId, label: d.name }))}
            value={districtId}
            onChange={(v) => {
              setDistrictId(v);
              setPrimary(null);
              setCo([]);
            }}
            allowDeselect={false}
            error={errors.districtId}
          />
          <Select
            label="主担当"
            data={options}
            value={primary}
            onChange={setPrimary}
            error={errors.primaryCounselorId}
          />
          <MultiSelect
            label="副担当"
            data={options.filter((o) => o.value !== primary)}
            value={co}
            onChange={setCo}
            error={errors.coCounselorIds}
          />
          <DialogActions
            onCancel={() => setOpen(false)}
            onConfirm={() => assign.mutate()}
            label="割り当てる"
            loading={assign.isPending}
            disabled={!districtId || !primary}
          />
        </Stack>
      </Modal>
    </>
  );
}

/** 経過記録: consultations newest first, with "add consultation". */
function Progress({ c, canAdd }: { c: CaseDetail; canAdd: boolean }) {
  const label = useLabel();
  const pages = useCursorPages();
  const [adding, setAdding] = useState(false);
  const { cursor } = pages;
  const query = useQuery({
    queryKey: ['case', c.id, 'consultations', cursor],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/cases/{id}/consultations', {
          params: { path: { id: c.id }, query: { limit: 20, cursor } },
        }),
      ),
  });
  const items = query.data?.items ?? [];
  return (
    <Stack gap="xs">
      {canAdd && (
        <Group>
          <Button size="compact-sm" onClick={() => setAdding(true)}>
            相談を追加
          </Button>
        </Group>
      )}
      {adding && <AddConsultation caseId={c.id} onClose={() => setAdding(false)} />}
      <QueryState query={query} empty={items.length === 0} />
      <Timeline bulletSize={14} lineWidth={2}>
        {items.map((x) => (
          <Timeline.Item
            key={x.id}
            title={
              <Text size="sm" fw={600}>
                {formatDateTime(x.occurredAt)}　{label('channels', x.channel)}・{label('routes', x.route)}　
                {label('consultationTypes', x.consultationType)}（{x.durationMinutes}分）
                {x.isIntake && (
                  <Badge size="xs" ml={6}>
                    受付
                  </Badge>
                )}
                {x.abuseNotification && (
                  <Badge size="xs" ml={6} color="red">
                    虐待通告
                  </Badge>
                )}
                {x.afterHours && (
                  <Badge size="xs" ml={6} color="gray">
                    時間外
                  </Badge>
                )}
              </Text>
            }
          >
            <Text size="sm" className="tsunagu-wrap">
              {x.summary}
            </Text>
            {x.nextAction && (
              <Text size="sm" c="dimmed" className="tsunagu-wrap">
                今後の対応：{x.nextAction}
              </Text>
            )}
          </Timeline.Item>
        ))}
      </Timeline>
      <PagerRow pages={pages} next={query.data?.nextCursor} />
    </Stack>
  );
}

/** The progress record's own 前へ/次へ: newer and older records. */
function PagerRow({ pages, next }: { pages: CursorPages; next?: string | null }) {
  if (!pages.hasPrevious && !next) return null;
  return (
    <Group gap="xs">
      <Button size="compact-xs" variant="default" disabled={!pages.hasPrevious} onClick={pages.previous}>
        新しい記録へ
      </Button>
      <Button size="compact-xs" variant="default" disabled={!next} onClick={() => next && pages.next(next)}>
        古い記録へ
      </Button>
    </Group>
  );
}

function AddConsultation({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const channels = useOptions('channels');
  const routes = useOptions('routes');
  const types = useOptions('consultationTypes', { leavesOnly: true });
  const [f, setF] = useState({
    occurredAt: toJstLocalInput(new Date()),
    channel: 'phone',
    route: 'family',
    consultationType: 'parenting',
    durationMinutes: 15 as number | string,
    summary: '',
    nextAction: '',
  });
  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/cases/{id}/consultations', {
          params: { path: { id: caseId } },
          body: {
            occurredAt: fromJstLocalInput(f.occurredAt),
            channel: f.channel as never,
            route: f.route as never,
            consultationType: f.consultationType as never,
            durationMinutes: Number(f.durationMinutes),
            summary: f.summary,
            ...(f.nextAction ? { nextAction: f.nextAction } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['case', caseId] });
      onClose();
    },
  });
  const e = fieldErrorsOf(add.error);
  return (
    <Card withBorder>
      <Stack gap="xs">
        <ErrorBanner error={add.error} />
        <SimpleGrid cols={5} spacing="xs">
          <TextInput
            type="datetime-local"
            label="日時"
            value={f.occurredAt}
            onChange={(x) => setF({ ...f, occurredAt: x.currentTarget.value })}
            error={e.occurredAt}
          />
          <Select
            label="方法"
            data={channels}
            value={f.channel}
            onChange={(v) => setF({ ...f, channel: v ?? f.channel })}
            error={e.channel}
          />
          <Select
            label="相談者"
            data={routes}
            value={f.route}
            onChange={(v) => setF({ ...f, route: v ?? f.route })}
            error={e.route}
          />
          <Select
            label="相談種別"
            data={types}
            value={f.consultationType}
            onChange={(v) => setF({ ...f, consultationType: v ?? f.consultationType })}
            error={e.consultationType}
          />
          <NumberInput
            label="対応時間（分）"
            min={0}
            value={f.durationMinutes}
            onChange={(v) => setF({ ...f, durationMinutes: v })}
            error={e.durationMinutes}
          />
        </SimpleGrid>
        <Textarea
          label="内容"
          required
          autosize
          minRows={3}
          value={f.summary}
          onChange={(x) => setF({ ...f, summary: x.currentTarget.value })}
          error={e.summary}
        />
        <Textarea
          label="今後の対応"
          autosize
          minRows={1}
          value={f.nextAction}
          onChange={(x) => setF({ ...f, nextAction: x.currentTarget.value })}
          error={e.nextAction}
        />
        <DialogActions onCancel={onClose} onConfirm={() => add.mutate()} label="記録する" loading={add.isPending} />
      </Stack>
    </Card>
  );
}

function CaseTasks({ caseId }: { caseId: string }) {
  const user = useUser();
  const query = useQuery({
    queryKey: ['tasks', 'case', caseId],
    queryFn: async () => unwrap(await api.GET('/api/v1/tasks', { params: { query: { caseId, limit: 100 } } })),
  });
  const tasks = [...(query.data?.items ?? [])].sort(byUrgency);
  return (
    <>
      <QueryState query={query} empty={tasks.length === 0} />
      {tasks.length > 0 && (
        <TaskTable
          tasks={tasks}
          showCase={false}
          canComplete={(t) => t.assigneeId === user.id || user.has('supervisor')}
        />
      )}
    </>
  );
}

function CaseReferrals({ caseId }: { caseId: string }) {
  const label = useLabel();
  const query = useQuery({
    queryKey: ['referrals', 'case', caseId],
    queryFn: async () => unwrap(await api.GET('/api/v1/referrals', { params: { query: { caseId, limit: 100 } } })),
  });
  const items = query.data?.items ?? [];
  return (
    <>
      <QueryState query={query} empty={items.length === 0} />
      {items.length > 0 && (
        <Table withTableBorder striped verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>方向</Table.Th>
              <Table.Th>種別</Table.Th>
              <Table.Th>関係機関</Table.Th>
              <Table.Th>緊急度</Table.Th>
              <Table.Th>状態</Table.Th>
              <Table.Th>回答期限</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{label('referralDirections', r.direction)}</Table.Td>
                <Table.Td>{label('referralKinds', r.kind)}</Table.Td>
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
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}

function Conferences({ caseId }: { caseId: string }) {
  const label = useLabel();
  const query = useQuery({
    queryKey: ['case', caseId, 'conferences'],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/conferences', { params: { path: { id: caseId } } })),
  });
  const items = query.data?.items ?? [];
  return (
    <Stack gap="xs">
      <QueryState query={query} empty={items.length === 0} />
      {items.map((x) => (
        <Card withBorder key={x.id} p="xs">
          <Text size="sm" fw={600}>
            {formatDateTime(x.heldAt)}　{label('conferenceKinds', x.kind)}
            {x.nextReviewAt && `　次回見直し ${formatDate(x.nextReviewAt)}`}
          </Text>
          <Text size="sm" className="tsunagu-wrap">
            {x.decisions}
          </Text>
        </Card>
      ))}
    </Stack>
  );
}

function Events({ caseId }: { caseId: string }) {
  const label = useLabel();
  const query = useQuery({
    queryKey: ['case', caseId, 'events'],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/events', { params: { path: { id: caseId } } })),
  });
  const items = query.data?.items ?? [];
  return (
    <>
      <QueryState query={query} empty={items.length === 0} />
      {items.length > 0 && (
        <Table withTableBorder striped verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>日時</Table.Th>
              <Table.Th>出来事</Table.Th>
              <Table.Th>状態</Table.Th>
              <Table.Th>理由</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((ev) => (
              <Table.Tr key={ev.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(ev.occurredAt)}</Table.Td>
                <Table.Td>{ev.action ? label('caseActions', ev.action) : label('caseEventKinds', ev.kind)}</Table.Td>
                <Table.Td>
                  {ev.fromStatus && `${label('caseStatuses', ev.fromStatus)} → `}
                  {ev.toStatus && label('caseStatuses', ev.toStatus)}
                </Table.Td>
                <Table.Td>{ev.reason ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}

/** The district and the counselors by name (the case carries ids; the district's member list has the names). */
function Staffing({ c }: { c: CaseDetail }) {
  const districts = useQuery({
    queryKey: ['districts'],
    queryFn: async () => unwrap(await api.GET('/api/v1/districts')),
    staleTime: Infinity,
  });
  const members = useQuery({
    queryKey: ['district-members', c.districtId],
    enabled: !!c.districtId,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/districts/{id}/members', { params: { path: { id: c.districtId! } } })),
  });
  const name = (id: string | null) =>
    id ? (members.data?.items.find((m) => m.userId === id)?.displayName ?? '（地区外の職員）') : '未定';
  return (
    <Text size="sm">
      地区 {districts.data?.items.find((d) => d.id === c.districtId)?.name ?? '未定'}　主担当{' '}
      {name(c.primaryCounselorId)}
      {c.coCounselorIds.length > 0 && `　副担当 ${c.coCounselorIds.map(name).join('、')}`}
    </Text>
  );
}
