import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
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
import { useState, type ReactNode } from 'react';
import { api, ApiError, unwrap, type Schemas } from '../api/client';
import { useLabel } from '../codes';
import { formatCalendarDate, formatDate, formatDateTime, fromJstLocalInput, toJstLocalInput } from '../format';
import { fieldErrorsOf } from '../problems';
import { ServiceUses } from './ServiceUses';
import { ErrorBanner, QueryState, DialogActions } from './ui';

type CaseDetail = Schemas['CaseDetail'];
type Plan = Schemas['PlanView'];
type PlanAction = Plan['allowedActions'][number];

/** docs/domain.md: a plan is made for a case the center has taken on and not closed. */
const PLANNABLE = ['assessment', 'active', 'monitoring'];

/** The center's services (a code list kept as data, GET /services) and the directory's organizations, by code/id. */
function usePlanDirectory() {
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
    serviceLabel: (code: string | null | undefined) =>
      code ? (serviceItems.find((s) => s.code === code)?.label.ja ?? code) : '',
    orgName: (id: string | null | undefined) =>
      id ? (orgItems.find((o) => o.id === id)?.name ?? '（不明な機関）') : '',
    /** Only services still offered are planned (a retired one is refused). */
    serviceOptions: serviceItems.filter((s) => s.active).map((s) => ({ value: s.code, label: s.label.ja })),
    orgOptions: orgItems.map((o) => ({ value: o.id, label: o.name })),
  };
}

/**
 * The case's support plan (サポートプラン, docs/domain.md): every version, the
 * one chosen read in full; drafting, editing a draft, the approval steps the
 * API lists in allowedActions, and the family's agreement. `canEdit` is the
 * case's edit right (access.md), which drafting and the agreement follow.
 */
export function SupportPlans({ c, canEdit }: { c: CaseDetail; canEdit: boolean }) {
  const label = useLabel();
  const query = useQuery({
    queryKey: ['case', c.id, 'plans'],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/plans', { params: { path: { id: c.id } } })),
  });
  const [chosen, setChosen] = useState<string | null>(null);
  const [drafting, setDrafting] = useState(false);
  const items = query.data?.items ?? [];
  const plan = items.find((p) => p.id === chosen) ?? items[0];
  const inForce = items.find((p) => p.status === 'approved');
  // One version at a time is drafted or awaits approval (the API answers 409 to a second).
  const open = items.find((p) => p.status === 'draft' || p.status === 'submitted');
  const canDraft = canEdit && PLANNABLE.includes(c.status) && !open;
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        {items.length > 0 ? (
          <Select
            label="表示する版"
            w={280}
            allowDeselect={false}
            data={items.map((p) => ({
              value: p.id,
              label: `第${p.versionNumber}版（${label('planStatuses', p.status)}）`,
            }))}
            value={plan?.id ?? null}
            onChange={setChosen}
          />
        ) : (
          <div />
        )}
        {canDraft && (
          <Button size="compact-sm" onClick={() => setDrafting(true)}>
            {inForce ? '改訂版を作成' : '支援計画を作成'}
          </Button>
        )}
      </Group>
      <QueryState query={query} />
      {query.data && items.length === 0 && (
        <Text size="sm" c="dimmed">
          支援計画はまだ作成されていません。
        </Text>
      )}
      {plan && <PlanDetail c={c} plan={plan} canEdit={canEdit} onReload={() => void query.refetch()} />}
      {drafting && (
        <PlanForm
          c={c}
          from={inForce ?? items[0]}
          onClose={(created) => {
            setDrafting(false);
            if (created) setChosen(created);
          }}
          onReload={() => void query.refetch()}
        />
      )}
      <ServiceUses c={c} canEdit={canEdit} />
    </Stack>
  );
}

/** A label and its value, as on the paper form. */
function Item({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600}>
        {name}
      </Text>
      <Text size="sm" className="tsunagu-wrap" component="div">
        {children}
      </Text>
    </div>
  );
}

function SectionTitle({ children }: { children: ReactNode }) {
  return (
    <Title order={4} size="h5" mt="xs">
      {children}
    </Title>
  );
}

const who = (u: { displayName: string } | null | undefined) => u?.displayName || '—';

function PlanDetail({
  c,
  plan,
  canEdit,
  onReload,
}: {
  c: CaseDetail;
  plan: Plan;
  canEdit: boolean;
  onReload: () => void;
}) {
  const label = useLabel();
  const dir = usePlanDirectory();
  const [editing, setEditing] = useState(false);
  const [action, setAction] = useState<PlanAction | null>(null);
  const [agreeing, setAgreeing] = useState(false);
  const editable = canEdit && plan.status === 'draft';
  const canAgree = canEdit && plan.status === 'approved' && !plan.familyAgreement;
  const statusColor = { draft: 'gray', submitted: 'orange', approved: 'teal', superseded: 'dark' }[plan.status];
  return (
    <Card withBorder p="md">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <Group gap="xs">
            <Title order={3} size="h4">
              サポートプラン 第{plan.versionNumber}版
            </Title>
            <Badge color={statusColor} variant="light" autoContrast>
              {label('planStatuses', plan.status)}
            </Badge>
          </Group>
          <Group gap="xs">
            {editable && (
              <Button size="compact-sm" variant="default" onClick={() => setEditing(true)}>
                編集
              </Button>
            )}
            {plan.allowedActions.map((a) => (
              <Button key={a} size="compact-sm" color={a === 'return' ? 'red' : undefined} onClick={() => setAction(a)}>
                {label('planActions', a)}
              </Button>
            ))}
            {canAgree && (
              <Button size="compact-sm" variant="light" onClick={() => setAgreeing(true)}>
                説明・同意を記録
              </Button>
            )}
          </Group>
        </Group>
        {plan.status === 'draft' && plan.returnedAt && (
          <Alert color="orange" title="差し戻されました" role="status">
            <Text size="sm">
              {who(plan.returnedByUser)}（{formatDateTime(plan.returnedAt)}）
            </Text>
            <Text size="sm" className="tsunagu-wrap">
              理由：{plan.returnReason}
            </Text>
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Item name="本人の意向">{plan.subjectWishes || '—'}</Item>
          <Item name="保護者の意向">{plan.guardianWishes || '—'}</Item>
        </SimpleGrid>
        <Item name="課題・ニーズ">{plan.needs}</Item>
        <SectionTitle>目標</SectionTitle>
        <Table withTableBorder verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40}>#</Table.Th>
              <Table.Th>目標</Table.Th>
              <Table.Th w={190}>達成時期</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.goals.map((g, i) => (
              <Table.Tr key={i}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td className="tsunagu-wrap">{g.goal}</Table.Td>
                <Table.Td>{formatCalendarDate(g.targetDate)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <SectionTitle>支援内容（役割分担）</SectionTitle>
        {plan.supports.length === 0 ? (
          <Text size="sm" c="dimmed">
            登録された支援はありません。
          </Text>
        ) : (
          <Table withTableBorder verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>サービス</Table.Th>
                <Table.Th>担当機関</Table.Th>
                <Table.Th>役割・内容</Table.Th>
                <Table.Th>頻度</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {plan.supports.map((s, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{dir.serviceLabel(s.serviceCode) || '—'}</Table.Td>
                  {/* Neither a service nor an agency: the center itself (docs/domain.md). */}
                  <Table.Td>{dir.orgName(s.organizationId) || (s.serviceCode ? '—' : 'センター')}</Table.Td>
                  <Table.Td className="tsunagu-wrap">{s.role}</Table.Td>
                  <Table.Td>{s.frequency ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <Item name="主担当機関">{dir.orgName(plan.leadAgencyId) || 'センター（当センターが主担当）'}</Item>
          <Item name="次回見直し日">{formatDate(plan.nextReviewAt)}</Item>
          <Item name="版">
            第{plan.versionNumber}版・{label('planStatuses', plan.status)}
          </Item>
        </SimpleGrid>
        {plan.delivered.length > 0 && (
          <>
            <SectionTitle>この計画でのサービス利用実績</SectionTitle>
            <Text size="sm">
              {plan.delivered
                .map(
                  (d) =>
                    `${dir.serviceLabel(d.serviceCode)} ${d.uses}回（延べ${d.persons}人${d.nights ? `・${d.nights}泊` : ''}${d.hours ? `・${d.hours}時間` : ''}）`,
                )
                .join('、')}
            </Text>
          </>
        )}
        <SectionTitle>作成・承認の経過</SectionTitle>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
          <Item name="作成">
            {who(plan.draftedByUser)}（{formatDate(plan.createdAt)}）
          </Item>
          <Item name="承認申請">
            {plan.submittedAt ? `${who(plan.submittedByUser)}（${formatDate(plan.submittedAt)}）` : '—'}
          </Item>
          <Item name="差戻し">
            {plan.returnedAt ? `${who(plan.returnedByUser)}（${formatDate(plan.returnedAt)}）` : '—'}
            {plan.returnedAt && plan.status !== 'draft' && plan.returnReason && (
              <Text size="xs" c="dimmed" className="tsunagu-wrap">
                理由：{plan.returnReason}
              </Text>
            )}
          </Item>
          <Item name="承認">
            {plan.approvedAt ? `${who(plan.approvedByUser)}（${formatDate(plan.approvedAt)}）` : '—'}
            {plan.supersededAt && (
              <Text size="xs" c="dimmed">
                {formatDate(plan.supersededAt)} 改訂により旧版
              </Text>
            )}
          </Item>
        </SimpleGrid>
        <SectionTitle>家族への説明・同意</SectionTitle>
        {plan.familyAgreement ? (
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
            <Item name="説明日">{formatCalendarDate(plan.familyAgreement.explainedOn)}</Item>
            <Item name="説明者">{who(plan.familyAgreement.explainedByUser)}</Item>
            <Item name="同意した人">{plan.familyAgreement.agreedBy}</Item>
            <Item name="備考">{plan.familyAgreement.note ?? '—'}</Item>
          </SimpleGrid>
        ) : (
          <Text size="sm" c="dimmed">
            {plan.status === 'approved'
              ? '未記録（承認済みの計画を家族に説明し、同意を記録してください）'
              : '承認後に記録します。'}
          </Text>
        )}
      </Stack>
      {editing && <PlanForm c={c} plan={plan} onClose={() => setEditing(false)} onReload={onReload} />}
      {action && <TransitionDialog plan={plan} action={action} onClose={() => setAction(null)} onReload={onReload} />}
      {agreeing && <AgreementDialog plan={plan} onClose={() => setAgreeing(false)} onReload={onReload} />}
    </Card>
  );
}

/**
 * A refused plan request: a 409 that is not a stale version (the plan moved
 * on, another version is open) also offers the reload, in words that fit.
 */
function PlanError({ error, onReload }: { error: unknown; onReload: () => void }) {
  if (error instanceof ApiError && error.code === 'conflict') {
    return (
      <Alert color="orange" role="alert">
        <Stack gap={6}>
          <Text size="sm">この計画は他の職員の操作で状態が変わりました。最新の内容を読み込んでください。</Text>
          <Group>
            <Button size="compact-sm" variant="white" onClick={onReload}>
              最新の内容を読み込む
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  return <ErrorBanner error={error} onReload={onReload} />;
}

interface GoalRow {
  goal: string;
  targetDate: string;
}
interface SupportRow {
  serviceCode: string | null;
  organizationId: string | null;
  role: string;
  frequency: string;
}

/** The JST calendar date of an instant, for a date input. */
const jstDate = (iso: string) => toJstLocalInput(new Date(iso)).slice(0, 10);

/** Three months on (the review cycle's default, REVIEW_CYCLE_MONTHS), as a date input's value. */
function threeMonthsOn(): string {
  const d = new Date();
  d.setMonth(d.getMonth() + 3);
  return toJstLocalInput(d).slice(0, 10);
}

function formOf(p: Plan | undefined, editing: boolean) {
  return {
    subjectWishes: p?.subjectWishes ?? '',
    guardianWishes: p?.guardianWishes ?? '',
    needs: p?.needs ?? '',
    goals: (p?.goals.length ? p.goals : [{ goal: '', targetDate: '' }]).map((g) => ({ ...g })) as GoalRow[],
    supports: (p?.supports ?? []).map((s) => ({
      serviceCode: s.serviceCode ?? null,
      organizationId: s.organizationId ?? null,
      role: s.role,
      frequency: s.frequency ?? '',
    })) as SupportRow[],
    leadAgencyId: p?.leadAgencyId ?? null,
    // A new version gets a review date of its own; a draft keeps the one it has.
    nextReviewDate: editing && p ? jstDate(p.nextReviewAt) : threeMonthsOn(),
  };
}

/**
 * Drafting a new version (`from`: the version it starts from, its content
 * copied) or editing a draft (`plan`, PATCH with If-Match). Goals and
 * supports are edited as lists; field errors stand next to their fields.
 */
function PlanForm({
  c,
  plan,
  from,
  onClose,
  onReload,
}: {
  c: CaseDetail;
  plan?: Plan;
  from?: Plan;
  onClose: (created?: string) => void;
  onReload: () => void;
}) {
  const queryClient = useQueryClient();
  const dir = usePlanDirectory();
  const [f, setF] = useState(() => formOf(plan ?? from, !!plan));
  const body = () => ({
    subjectWishes: f.subjectWishes,
    guardianWishes: f.guardianWishes,
    needs: f.needs,
    goals: f.goals.map((g) => ({ goal: g.goal, targetDate: g.targetDate })),
    supports: f.supports.map((s) => ({
      ...(s.serviceCode ? { serviceCode: s.serviceCode } : {}),
      ...(s.organizationId ? { organizationId: s.organizationId } : {}),
      role: s.role,
      ...(s.frequency ? { frequency: s.frequency } : {}),
    })),
    leadAgencyId: f.leadAgencyId,
    nextReviewAt: f.nextReviewDate ? fromJstLocalInput(`${f.nextReviewDate}T09:00`) : '',
  });
  const save = useMutation({
    mutationFn: async () =>
      plan
        ? unwrap(
            await api.PATCH('/api/v1/plans/{id}', {
              params: { path: { id: plan.id }, header: { 'If-Match': `"${plan.version}"` } },
              body: body(),
            }),
          )
        : unwrap(await api.POST('/api/v1/cases/{id}/plans', { params: { path: { id: c.id } }, body: body() })),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['case', c.id, 'plans'] });
      onClose(saved.id);
    },
  });
  // A field's error stays until the field is changed, so a corrected field no longer reads as wrong.
  const [changed, setChanged] = useState<string[]>([]);
  const e = Object.fromEntries(Object.entries(fieldErrorsOf(save.error)).filter(([k]) => !changed.includes(k)));
  const touch = (...keys: string[]) => setChanged((was) => [...was, ...keys]);
  const set = (patch: Partial<typeof f>) => {
    touch(...Object.keys(patch).map((k) => (k === 'nextReviewDate' ? 'nextReviewAt' : k)));
    setF({ ...f, ...patch });
  };
  const setGoal = (i: number, g: Partial<GoalRow>) => {
    touch(...Object.keys(g).map((k) => `goals[${i}].${k}`));
    setF({ ...f, goals: f.goals.map((x, j) => (j === i ? { ...x, ...g } : x)) });
  };
  const setSupport = (i: number, s: Partial<SupportRow>) => {
    touch(...Object.keys(s).map((k) => `supports[${i}].${k}`));
    setF({ ...f, supports: f.supports.map((x, j) => (j === i ? { ...x, ...s } : x)) });
  };
  /** Adding or removing a row renumbers the rows after it: their errors no longer point at the right one. */
  const setRows = (patch: Pick<Partial<typeof f>, 'goals' | 'supports'>) => {
    save.reset();
    setF({ ...f, ...patch });
  };
  const title = plan
    ? `サポートプラン 第${plan.versionNumber}版を編集`
    : from
      ? `サポートプランの改訂版を作成（第${from.versionNumber}版をもとに）`
      : 'サポートプランを作成';
  return (
    <Modal opened onClose={() => onClose()} title={title} size="80rem">
      <Stack gap="sm">
        <PlanError
          error={save.error}
          onReload={() => {
            onClose();
            onReload();
          }}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Textarea
            label="本人の意向"
            autosize
            minRows={2}
            value={f.subjectWishes}
            onChange={(x) => set({ subjectWishes: x.currentTarget.value })}
            error={e.subjectWishes}
          />
          <Textarea
            label="保護者の意向"
            autosize
            minRows={2}
            value={f.guardianWishes}
            onChange={(x) => set({ guardianWishes: x.currentTarget.value })}
            error={e.guardianWishes}
          />
        </SimpleGrid>
        <Textarea
          label="課題・ニーズ"
          required
          autosize
          minRows={3}
          value={f.needs}
          onChange={(x) => set({ needs: x.currentTarget.value })}
          error={e.needs}
        />
        <Title order={4} size="h5">
          目標
        </Title>
        {e.goals && (
          <Text size="sm" c="red">
            {e.goals}
          </Text>
        )}
        {f.goals.map((g, i) => (
          <Group key={i} align="flex-start" gap="xs" wrap="nowrap">
            <TextInput
              label={`目標 ${i + 1}`}
              required
              style={{ flex: 1 }}
              value={g.goal}
              onChange={(x) => setGoal(i, { goal: x.currentTarget.value })}
              error={e[`goals[${i}].goal`]}
            />
            <TextInput
              type="date"
              label={`達成時期 ${i + 1}`}
              required
              w={180}
              value={g.targetDate}
              onChange={(x) => setGoal(i, { targetDate: x.currentTarget.value })}
              error={e[`goals[${i}].targetDate`]}
            />
            <RemoveRow
              label={`目標 ${i + 1} を削除`}
              disabled={f.goals.length === 1}
              onClick={() => setRows({ goals: f.goals.filter((_, j) => j !== i) })}
            />
          </Group>
        ))}
        <Group>
          <Button
            size="compact-sm"
            variant="light"
            onClick={() => setRows({ goals: [...f.goals, { goal: '', targetDate: '' }] })}
          >
            目標を追加
          </Button>
        </Group>
        <Title order={4} size="h5">
          支援内容（役割分担）
        </Title>
        <Text size="xs" c="dimmed">
          サービスと担当機関のどちらも選ばない支援は、センターが行う支援です。
        </Text>
        {f.supports.map((s, i) => (
          <Group key={i} align="flex-start" gap="xs" wrap="nowrap">
            <Select
              label={`サービス ${i + 1}`}
              placeholder="なし"
              w={300}
              clearable
              data={dir.serviceOptions}
              value={s.serviceCode}
              onChange={(v) => setSupport(i, { serviceCode: v })}
              error={e[`supports[${i}].serviceCode`]}
            />
            <Select
              label={`担当機関 ${i + 1}`}
              placeholder="センター"
              w={270}
              clearable
              searchable
              data={dir.orgOptions}
              value={s.organizationId}
              onChange={(v) => setSupport(i, { organizationId: v })}
              error={e[`supports[${i}].organizationId`]}
            />
            <TextInput
              label={`役割・内容 ${i + 1}`}
              required
              style={{ flex: 1 }}
              value={s.role}
              onChange={(x) => setSupport(i, { role: x.currentTarget.value })}
              error={e[`supports[${i}].role`]}
            />
            <TextInput
              label={`頻度 ${i + 1}`}
              placeholder="週1回"
              w={130}
              value={s.frequency}
              onChange={(x) => setSupport(i, { frequency: x.currentTarget.value })}
              error={e[`supports[${i}].frequency`]}
            />
            <RemoveRow
              label={`支援 ${i + 1} を削除`}
              onClick={() => setRows({ supports: f.supports.filter((_, j) => j !== i) })}
            />
          </Group>
        ))}
        <Group>
          <Button
            size="compact-sm"
            variant="light"
            onClick={() =>
              setRows({
                supports: [...f.supports, { serviceCode: null, organizationId: null, role: '', frequency: '' }],
              })
            }
          >
            支援を追加
          </Button>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label="主担当機関"
            placeholder="センター（当センターが主担当）"
            clearable
            searchable
            data={dir.orgOptions}
            value={f.leadAgencyId}
            onChange={(v) => set({ leadAgencyId: v })}
            error={e.leadAgencyId}
          />
          <TextInput
            type="date"
            label="次回見直し日"
            required
            value={f.nextReviewDate}
            onChange={(x) => set({ nextReviewDate: x.currentTarget.value })}
            error={e.nextReviewAt}
          />
        </SimpleGrid>
        <DialogActions
          onCancel={onClose}
          onConfirm={() => {
            setChanged([]);
            save.mutate();
          }}
          label={plan ? '保存する' : '下書きとして保存'}
          loading={save.isPending}
        />
      </Stack>
    </Modal>
  );
}

function RemoveRow({ label, onClick, disabled }: { label: string; onClick: () => void; disabled?: boolean }) {
  return (
    <ActionIcon
      variant="subtle"
      color="red"
      mt={26}
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
    >
      ×
    </ActionIcon>
  );
}

const TRANSITION_TEXT: Record<PlanAction, string> = {
  submit: 'この版をスーパーバイザーの承認に回します。承認待ちの間は編集できません。',
  approve: 'この版を実施中の計画として承認します。前の版は旧版になり、次回見直し日に見直しのタスクが作成されます。',
  return: '作成者に差し戻します。理由は計画に記録され、担当者に表示されます。',
};

/** Submit, approve or return (the API's allowedActions); a return needs its reason. */
function TransitionDialog({
  plan,
  action,
  onClose,
  onReload,
}: {
  plan: Plan;
  action: PlanAction;
  onClose: () => void;
  onReload: () => void;
}) {
  const label = useLabel();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const step = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/plans/{id}/transitions', {
          params: { path: { id: plan.id } },
          body: { action, version: plan.version, ...(action === 'return' ? { reason } : {}) },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['case', plan.caseId, 'plans'] });
      await queryClient.invalidateQueries({ queryKey: ['tasks'] });
      onClose();
    },
  });
  const e = fieldErrorsOf(step.error);
  return (
    <Modal opened onClose={onClose} title={`${label('planActions', action)}：サポートプラン 第${plan.versionNumber}版`}>
      <Stack gap="sm">
        <PlanError
          error={step.error}
          onReload={() => {
            onClose();
            onReload();
          }}
        />
        <Text size="sm">{TRANSITION_TEXT[action]}</Text>
        {action === 'return' && (
          <Textarea
            label="差戻しの理由"
            required
            autosize
            minRows={3}
            value={reason}
            onChange={(x) => {
              setReason(x.currentTarget.value);
              setMissing(false);
            }}
            error={missing ? '入力してください' : e.reason}
          />
        )}
        <DialogActions
          onCancel={onClose}
          onConfirm={() => {
            if (action === 'return' && !reason.trim()) return setMissing(true);
            step.mutate();
          }}
          label={`${label('planActions', action)}する`}
          loading={step.isPending}
          color={action === 'return' ? 'red' : undefined}
        />
      </Stack>
    </Modal>
  );
}

/** The approved plan explained to and agreed with the family (once per version; the explainer is the caller). */
function AgreementDialog({ plan, onClose, onReload }: { plan: Plan; onClose: () => void; onReload: () => void }) {
  const queryClient = useQueryClient();
  const [f, setF] = useState({ explainedOn: toJstLocalInput(new Date()).slice(0, 10), agreedBy: '', note: '' });
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/plans/{id}/agreement', {
          params: { path: { id: plan.id } },
          body: { explainedOn: f.explainedOn, agreedBy: f.agreedBy, ...(f.note ? { note: f.note } : {}) },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['case', plan.caseId, 'plans'] });
      onClose();
    },
  });
  const e = fieldErrorsOf(save.error);
  return (
    <Modal opened onClose={onClose} title={`家族への説明・同意：第${plan.versionNumber}版`}>
      <Stack gap="sm">
        <PlanError
          error={save.error}
          onReload={() => {
            onClose();
            onReload();
          }}
        />
        <TextInput
          type="date"
          label="説明日"
          required
          value={f.explainedOn}
          onChange={(x) => setF({ ...f, explainedOn: x.currentTarget.value })}
          error={e.explainedOn}
        />
        <TextInput
          label="同意した人"
          description="母、父、本人など"
          required
          value={f.agreedBy}
          onChange={(x) => setF({ ...f, agreedBy: x.currentTarget.value })}
          error={e.agreedBy}
        />
        <Textarea
          label="備考"
          autosize
          minRows={2}
          value={f.note}
          onChange={(x) => setF({ ...f, note: x.currentTarget.value })}
          error={e.note}
        />
        <DialogActions onCancel={onClose} onConfirm={() => save.mutate()} label="記録する" loading={save.isPending} />
      </Stack>
    </Modal>
  );
}
