import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, ApiError, unwrap, type Schemas } from '../api/client';
import { useLabel, useOptions } from '../codes';
import { ErrorBanner, PageTitle } from '../components/ui';
import { fromJstLocalInput, toJstLocalInput } from '../format';
import { fieldErrorsOf } from '../problems';

type IntakeBody = Schemas['IntakeDto'];
type Candidate = NonNullable<Schemas['Problem']['candidates']>[number];

/**
 * 受付票: a new consultation opening a case in `intake`. A likely duplicate
 * (same kana name and birth date) comes back as a 409 with candidates: the
 * counselor adds the consultation to one of them, or confirms a new child.
 */
export function IntakePage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const label = useLabel();
  const channels = useOptions('channels');
  const routes = useOptions('routes');
  const types = useOptions('consultationTypes', { leavesOnly: true });
  const abuseTypes = useOptions('abuseTypes');
  const abusers = useOptions('mainAbuserRelations');
  const sexes = useOptions('sexes');
  const kinds = useOptions('subjectKinds');
  // One key per form: a double submit or a retry after a lost answer creates nothing twice (api.md, "Idempotency").
  const idempotencyKey = useRef(crypto.randomUUID());

  const [f, setF] = useState({
    familyName: '',
    givenName: '',
    familyNameKana: '',
    givenNameKana: '',
    birthDate: '',
    sex: 'unknown',
    kind: 'child',
    school: '',
    address: '',
    occurredAt: toJstLocalInput(new Date()),
    channel: 'phone',
    route: 'neighbor',
    consultationType: 'abuse',
    abuseTypes: [] as string[],
    mainAbuser: '',
    abuseNotification: false,
    durationMinutes: 15 as number | string,
    summary: '',
    nextAction: '',
  });
  const set = (k: keyof typeof f) => (v: unknown) => setF((old) => ({ ...old, [k]: v }));
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);

  const body = (): IntakeBody => {
    const isAbuse = f.consultationType === 'abuse';
    return {
      subject: {
        familyName: f.familyName,
        givenName: f.givenName,
        familyNameKana: f.familyNameKana,
        givenNameKana: f.givenNameKana,
        sex: f.sex as Schemas['SubjectDto']['sex'],
        kind: f.kind as Schemas['SubjectDto']['kind'],
        ...(f.birthDate ? { birthDate: f.birthDate } : {}),
        ...(f.school ? { school: f.school } : {}),
      },
      household: { address: f.address, members: [] },
      consultation: {
        occurredAt: fromJstLocalInput(f.occurredAt),
        channel: f.channel as Schemas['ConsultationDto']['channel'],
        route: f.route as Schemas['ConsultationDto']['route'],
        consultationType: f.consultationType as Schemas['ConsultationDto']['consultationType'],
        durationMinutes: Number(f.durationMinutes),
        summary: f.summary,
        ...(f.nextAction ? { nextAction: f.nextAction } : {}),
        ...(isAbuse
          ? {
              abuseTypes: f.abuseTypes as Schemas['ConsultationDto']['abuseTypes'],
              abuseNotification: f.abuseNotification,
              ...(f.mainAbuser ? { mainAbuser: f.mainAbuser as Schemas['ConsultationDto']['mainAbuser'] } : {}),
            }
          : {}),
      },
    };
  };

  const submit = useMutation({
    mutationFn: async (extra: Partial<IntakeBody>) => {
      const payload = { ...body(), ...extra };
      // Adding to an existing case sends the consultation only.
      if (payload.caseId || payload.matchToken) {
        delete payload.subject;
        delete payload.household;
      }
      return unwrap(
        await api.POST('/api/v1/intakes', {
          body: payload,
          params: {
            header: {
              'Idempotency-Key': `${idempotencyKey.current}-${extra.caseId ?? extra.matchToken ?? (extra.confirmNew ? 'new' : 'first')}`,
            },
          },
        }),
      );
    },
    onSuccess: async (result) => {
      setCandidates(null);
      await queryClient.invalidateQueries({ queryKey: ['tasks'] });
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
      void navigate(`/cases/${result.case.id}`, { state: { created: true } });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'possible_duplicate')
        setCandidates(error.problem?.candidates ?? []);
    },
  });
  const errors = fieldErrorsOf(submit.error);
  const e = (field: string) => errors[field];
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate({});
  };

  return (
    <form onSubmit={onSubmit} aria-label="受付票">
      <PageTitle>受付票（新規相談の受付）</PageTitle>
      {submit.error && !(submit.error instanceof ApiError && submit.error.code === 'possible_duplicate') && (
        <ErrorBanner error={submit.error} />
      )}
      <Stack gap="sm" maw={1100}>
        <Fieldset legend="対象児童（妊婦）">
          <SimpleGrid cols={4} spacing="xs">
            <TextInput
              label="氏"
              required
              value={f.familyName}
              onChange={(x) => set('familyName')(x.currentTarget.value)}
              error={e('subject.familyName')}
            />
            <TextInput
              label="名"
              required
              value={f.givenName}
              onChange={(x) => set('givenName')(x.currentTarget.value)}
              error={e('subject.givenName')}
            />
            <TextInput
              label="氏（ふりがな）"
              required
              value={f.familyNameKana}
              onChange={(x) => set('familyNameKana')(x.currentTarget.value)}
              error={e('subject.familyNameKana')}
            />
            <TextInput
              label="名（ふりがな）"
              required
              value={f.givenNameKana}
              onChange={(x) => set('givenNameKana')(x.currentTarget.value)}
              error={e('subject.givenNameKana')}
            />
            <TextInput
              type="date"
              label="生年月日"
              value={f.birthDate}
              onChange={(x) => set('birthDate')(x.currentTarget.value)}
              error={e('subject.birthDate')}
            />
            <Select
              label="性別"
              data={sexes}
              value={f.sex}
              onChange={set('sex')}
              allowDeselect={false}
              error={e('subject.sex')}
            />
            <Select
              label="区分"
              data={kinds}
              value={f.kind}
              onChange={set('kind')}
              allowDeselect={false}
              error={e('subject.kind')}
            />
            <TextInput
              label="学校・園"
              value={f.school}
              onChange={(x) => set('school')(x.currentTarget.value)}
              error={e('subject.school')}
            />
          </SimpleGrid>
          <TextInput
            mt="xs"
            label="住所"
            required
            value={f.address}
            onChange={(x) => set('address')(x.currentTarget.value)}
            error={e('household.address')}
          />
        </Fieldset>
        <Fieldset legend="相談内容">
          <SimpleGrid cols={4} spacing="xs">
            <TextInput
              type="datetime-local"
              label="受付日時"
              required
              value={f.occurredAt}
              onChange={(x) => set('occurredAt')(x.currentTarget.value)}
              error={e('consultation.occurredAt')}
            />
            <Select
              label="相談経路（方法）"
              data={channels}
              value={f.channel}
              onChange={set('channel')}
              allowDeselect={false}
              error={e('consultation.channel')}
            />
            <Select
              label="相談者（経路）"
              data={routes}
              value={f.route}
              onChange={set('route')}
              allowDeselect={false}
              error={e('consultation.route')}
            />
            <Select
              label="相談種別"
              data={types}
              value={f.consultationType}
              onChange={set('consultationType')}
              allowDeselect={false}
              searchable
              error={e('consultation.consultationType')}
            />
            <NumberInput
              label="対応時間（分）"
              min={0}
              value={f.durationMinutes}
              onChange={set('durationMinutes')}
              error={e('consultation.durationMinutes')}
            />
          </SimpleGrid>
          {f.consultationType === 'abuse' && (
            <SimpleGrid cols={3} spacing="xs" mt="xs">
              <MultiSelect
                label="虐待種別"
                data={abuseTypes}
                value={f.abuseTypes}
                onChange={set('abuseTypes')}
                error={e('consultation.abuseTypes')}
              />
              <Select
                label="主たる虐待者"
                data={abusers}
                value={f.mainAbuser || null}
                onChange={(v) => set('mainAbuser')(v ?? '')}
                clearable
                error={e('consultation.mainAbuser')}
              />
              <Checkbox
                mt={28}
                label="虐待通告として受理"
                checked={f.abuseNotification}
                onChange={(x) => set('abuseNotification')(x.currentTarget.checked)}
              />
            </SimpleGrid>
          )}
          <Textarea
            mt="xs"
            label="相談の概要"
            required
            autosize
            minRows={4}
            value={f.summary}
            onChange={(x) => set('summary')(x.currentTarget.value)}
            error={e('consultation.summary')}
          />
          <Textarea
            mt="xs"
            label="今後の対応"
            autosize
            minRows={2}
            value={f.nextAction}
            onChange={(x) => set('nextAction')(x.currentTarget.value)}
            error={e('consultation.nextAction')}
          />
        </Fieldset>
        <Group justify="flex-end">
          <Button type="submit" loading={submit.isPending}>
            受付を登録
          </Button>
        </Group>
      </Stack>

      <Modal
        opened={candidates !== null}
        onClose={() => setCandidates(null)}
        title="同じ児童の記録があるかもしれません"
        size="lg"
      >
        <Stack gap="sm">
          <Alert color="yellow">
            ふりがなと生年月日が同じ児童のケースがあります。同じ児童であれば既存のケースに相談を追加してください。
          </Alert>
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>ケース番号</Table.Th>
                <Table.Th>状態</Table.Th>
                <Table.Th>操作</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(candidates ?? []).map((c, i) =>
                'caseId' in c ? (
                  <Table.Tr key={c.caseId}>
                    <Table.Td>{c.caseNumber}</Table.Td>
                    <Table.Td>{label('caseStatuses', c.status)}</Table.Td>
                    <Table.Td>
                      <Button size="compact-sm" onClick={() => submit.mutate({ caseId: c.caseId })}>
                        このケースに追加
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  <Table.Tr key={i}>
                    <Table.Td colSpan={2}>閲覧権限のないケース（担当者に通知されます）</Table.Td>
                    <Table.Td>
                      <Button
                        size="compact-sm"
                        variant="light"
                        onClick={() => submit.mutate({ matchToken: c.matchToken })}
                      >
                        このケースに追加
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ),
              )}
            </Table.Tbody>
          </Table>
          <Group justify="space-between">
            <Button variant="default" onClick={() => setCandidates(null)}>
              入力に戻る
            </Button>
            <Button color="orange" onClick={() => submit.mutate({ confirmNew: true })}>
              別の児童として新規登録
            </Button>
          </Group>
        </Stack>
      </Modal>
    </form>
  );
}
