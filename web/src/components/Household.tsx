import {
  Alert,
  Anchor,
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
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { useLabel, useOptions } from '../codes';
import { formatCalendarDate, formatDateTime } from '../format';
import { fieldErrorsOf } from '../problems';
import { useUser } from '../session';
import { ErrorBanner, QueryState, DialogActions } from './ui';

type CaseDetail = Schemas['CaseDetail'];
type Contact = Schemas['ContactPointResponse'];
type MoveResult = Schemas['MoveResponse'];

/**
 * 世帯・連絡先 of the case page: the household, each person's phone numbers
 * and e-mail addresses with the note that says how they may be used, and the
 * address history. Contacts are read with the case (never by staff, who see
 * only a case's header and so never reach this tab); each look is the API's
 * audited read. `canEdit`: the user may edit this open case (the API
 * decides; a refusal is shown as its problem).
 */
export function Household({ c, canEdit }: { c: CaseDetail; canEdit: boolean }) {
  const details = useQuery({
    queryKey: ['case', c.id, 'contacts'],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/contacts', { params: { path: { id: c.id } } })),
  });
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Members c={c} />
        <Addresses c={c} details={details} canEdit={canEdit} />
      </SimpleGrid>
      <Contacts c={c} details={details} canEdit={canEdit} />
    </Stack>
  );
}

type Details = {
  data?: Schemas['ContactDetailsResponse'];
  isPending: boolean;
  error: unknown;
};

function Members({ c }: { c: CaseDetail }) {
  const label = useLabel();
  return (
    <Card withBorder>
      <Text fw={600} size="sm" mb={4}>
        世帯（現住所：{c.household.address}）
      </Text>
      {c.household.members.length === 0 ? (
        <Text size="sm" c="dimmed">
          登録された世帯員はいません。
        </Text>
      ) : (
        <Table verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>続柄</Table.Th>
              <Table.Th>氏名</Table.Th>
              <Table.Th>生年月日</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.household.members.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>{label('relationships', m.relationship)}</Table.Td>
                <Table.Td>
                  {m.familyName} {m.givenName}
                </Table.Td>
                <Table.Td>{formatCalendarDate(m.birthDate)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {c.siblingCases.length > 0 && (
        <Text size="sm" mt="xs">
          きょうだいのケース：
          {c.siblingCases.map((sc) => (
            <Anchor key={sc.id} component={Link} to={`/cases/${sc.id}`} mr={8}>
              {sc.number}
            </Anchor>
          ))}
        </Text>
      )}
    </Card>
  );
}

/** The people a contact point may belong to: the subject and the household's members, by name. */
function usePeople(c: CaseDetail) {
  const label = useLabel();
  const people = [
    { value: c.subject.id, label: `本人（${c.subject.familyName} ${c.subject.givenName}）` },
    ...c.household.members.map((m) => ({
      value: m.id,
      label: `${label('relationships', m.relationship)}（${m.familyName} ${m.givenName}）`,
    })),
  ];
  /** A contact's person in words; a sibling of another case is not among the members, so named by relationship only. */
  const who = (k: Contact) =>
    people.find((p) => p.value === k.personId)?.label ??
    (k.relationship === 'subject' ? '本人' : label('relationships', k.relationship));
  return { people, who };
}

function Contacts({ c, details, canEdit }: { c: CaseDetail; details: Details; canEdit: boolean }) {
  const label = useLabel();
  const { who } = usePeople(c);
  const [removing, setRemoving] = useState<Contact | null>(null);
  const contacts = details.data?.contacts ?? [];
  return (
    <Card withBorder>
      <Group justify="space-between" mb={4}>
        <Text fw={600} size="sm">
          連絡先
        </Text>
        {canEdit && <AddContactButton c={c} />}
      </Group>
      <QueryState query={details} empty={details.data?.contacts.length === 0} />
      {contacts.length > 0 && (
        <Table verticalSpacing={4} className="tsunagu-table" aria-label="連絡先">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>対象者</Table.Th>
              <Table.Th>種別</Table.Th>
              <Table.Th>電話番号・メールアドレス</Table.Th>
              <Table.Th>連絡時の注意</Table.Th>
              <Table.Th>登録</Table.Th>
              {canEdit && <Table.Th>操作</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {contacts.map((k) => (
              <Table.Tr key={k.id}>
                <Table.Td>{who(k)}</Table.Td>
                <Table.Td>
                  {label('contactKinds', k.kind)}（{label('contactLabels', k.label)}）
                </Table.Td>
                <Table.Td>
                  <Anchor
                    href={k.kind === 'phone' ? `tel:${k.value.replace(/[^\d+]/g, '')}` : `mailto:${k.value}`}
                    fw={700}
                  >
                    {k.value}
                  </Anchor>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'normal' }}>
                  {/* The note changes how the counselor may call (夜間不可, 父に知られないように): it stands out. */}
                  {k.note && (
                    <Text
                      size="sm"
                      fw={700}
                      c="red.9"
                      bg="yellow.1"
                      px={6}
                      className="tsunagu-wrap"
                      data-testid="contact-note"
                    >
                      ⚠ {k.note}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {k.createdByUser.displayName}
                    <br />
                    {formatDateTime(k.createdAt)}
                  </Text>
                </Table.Td>
                {canEdit && (
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="light"
                      color="red"
                      aria-label={`${k.value}を削除`}
                      onClick={() => setRemoving(k)}
                    >
                      削除
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {removing && (
        <RemoveContactDialog caseId={c.id} contact={removing} who={who(removing)} onClose={() => setRemoving(null)} />
      )}
    </Card>
  );
}

function AddContactButton({ c }: { c: CaseDetail }) {
  const queryClient = useQueryClient();
  const { people } = usePeople(c);
  const kinds = useOptions('contactKinds');
  const labels = useOptions('contactLabels');
  const empty = { personId: c.subject.id, kind: 'phone', label: 'mobile', value: '', note: '' };
  const [open, setOpen] = useState(false);
  const [f, setF] = useState(empty);
  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/cases/{id}/contacts', {
          params: { path: { id: c.id } },
          body: {
            personId: f.personId,
            kind: f.kind as Schemas['CreateContactDto']['kind'],
            label: f.label as Schemas['CreateContactDto']['label'],
            value: f.value,
            ...(f.note.trim() ? { note: f.note } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['case', c.id, 'contacts'] });
    },
  });
  const e = fieldErrorsOf(add.error);
  const phone = f.kind === 'phone';
  return (
    <>
      <Button
        size="compact-sm"
        onClick={() => {
          setF(empty);
          add.reset();
          setOpen(true);
        }}
      >
        連絡先を追加
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="連絡先を追加">
        <Stack gap="sm">
          <ErrorBanner error={add.error} />
          <Select
            label="対象者"
            data={people}
            value={f.personId}
            onChange={(v) => setF({ ...f, personId: v ?? f.personId })}
            allowDeselect={false}
            error={e.personId}
          />
          <Group grow>
            <Select
              label="種別"
              data={kinds}
              value={f.kind}
              onChange={(v) => setF({ ...f, kind: v ?? f.kind })}
              allowDeselect={false}
              error={e.kind}
            />
            <Select
              label="区分"
              data={labels}
              value={f.label}
              onChange={(v) => setF({ ...f, label: v ?? f.label })}
              allowDeselect={false}
              error={e.label}
            />
          </Group>
          <TextInput
            label={phone ? '電話番号' : 'メールアドレス'}
            required
            type={phone ? 'tel' : 'email'}
            placeholder={phone ? '090-1234-5678' : 'name@example.jp'}
            value={f.value}
            onChange={(x) => setF({ ...f, value: x.currentTarget.value })}
            error={e.value}
          />
          <Textarea
            label="連絡時の注意"
            description="例：夜間不可、父に知られないように"
            autosize
            minRows={2}
            value={f.note}
            onChange={(x) => setF({ ...f, note: x.currentTarget.value })}
            error={e.note}
          />
          <DialogActions
            onCancel={() => setOpen(false)}
            onConfirm={() => add.mutate()}
            label="追加する"
            loading={add.isPending}
          />
        </Stack>
      </Modal>
    </>
  );
}

function RemoveContactDialog({
  caseId,
  contact,
  who,
  onClose,
}: {
  caseId: string;
  contact: Contact;
  who: string;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const label = useLabel();
  const remove = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.DELETE('/api/v1/cases/{id}/contacts/{contactId}', {
          params: { path: { id: caseId, contactId: contact.id } },
        }),
      ),
    onSuccess: async () => {
      onClose();
      await queryClient.invalidateQueries({ queryKey: ['case', caseId, 'contacts'] });
    },
  });
  return (
    <Modal opened onClose={onClose} title="連絡先の削除">
      <Stack gap="sm">
        <ErrorBanner error={remove.error} />
        <Text size="sm">
          {who}の{label('contactLabels', contact.label)}
          {label('contactKinds', contact.kind)}「{contact.value}」を連絡先から外します。
        </Text>
        <Text size="xs" c="dimmed">
          使用を終えた連絡先として記録には残ります（誰がいつ外したか）。
        </Text>
        <DialogActions
          onCancel={onClose}
          onConfirm={() => remove.mutate()}
          label="削除する"
          loading={remove.isPending}
          color="red"
        />
      </Stack>
    </Modal>
  );
}

function Addresses({ c, details, canEdit }: { c: CaseDetail; details: Details; canEdit: boolean }) {
  const label = useLabel();
  const [moved, setMoved] = useState<MoveResult | null>(null);
  const addresses = details.data?.addresses ?? [];
  return (
    <Card withBorder>
      <Group justify="space-between" mb={4}>
        <Text fw={600} size="sm">
          住所の履歴
        </Text>
        {canEdit && <MoveButton c={c} onMoved={setMoved} />}
      </Group>
      {moved && <MoveOutcome c={c} moved={moved} onClose={() => setMoved(null)} />}
      <QueryState query={details} empty={details.data?.addresses.length === 0} />
      {addresses.length > 0 && (
        <Table verticalSpacing={2} aria-label="住所の履歴">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>住所</Table.Th>
              <Table.Th>区分</Table.Th>
              <Table.Th>転居日</Table.Th>
              <Table.Th>記録</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {addresses.map((a, i) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  {a.address}
                  {i === 0 && (
                    <Text span size="xs" c="teal.9" fw={700} ml={6}>
                      現住所
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{label('addressChanges', a.change)}</Table.Td>
                <Table.Td>{a.movedOn ? formatCalendarDate(a.movedOn) : '—'}</Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {a.recordedByUser?.displayName ?? '—'}
                    <br />
                    {formatDateTime(a.recordedAt)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

/**
 * What the API answered about the move: whether the new address lies in
 * another district. The case stays where it is: moving it is a supervisor's
 * assignment (担当割当), as at intake.
 */
function MoveOutcome({ c, moved, onClose }: { c: CaseDetail; moved: MoveResult; onClose: () => void }) {
  const user = useUser();
  const districts = useQuery({
    queryKey: ['districts'],
    queryFn: async () => unwrap(await api.GET('/api/v1/districts')),
    staleTime: Infinity,
  });
  const name = (id: string | null) =>
    id ? (districts.data?.items.find((d) => d.id === id)?.name ?? '（不明な地区）') : null;
  const current = name(moved.districtId) ?? '未定';
  if (!moved.districtChanged) {
    return (
      <Alert color="teal" mb="xs" withCloseButton closeButtonLabel="閉じる" onClose={onClose} role="status">
        <Text size="sm">転居を記録しました。新しい住所は現在の担当地区（{current}）の区域内です。</Text>
      </Alert>
    );
  }
  const suggested = name(moved.suggestedDistrictId);
  return (
    <Alert color="orange" mb="xs" withCloseButton closeButtonLabel="閉じる" onClose={onClose} role="alert">
      <Text size="sm" fw={700}>
        転居を記録しました。新しい住所は
        {suggested ? `${suggested}の区域です` : 'どの地区の区域にも当たりません'}（現在の担当地区：{current}）。
      </Text>
      <Text size="sm">
        {user.has('supervisor') && c.status !== 'closed'
          ? '担当地区を変える場合は「担当割当」から変更してください。'
          : '担当地区の変更はスーパーバイザーが「担当割当」で行います。スーパーバイザーに相談してください。'}
      </Text>
    </Alert>
  );
}

function MoveButton({ c, onMoved }: { c: CaseDetail; onMoved: (m: MoveResult) => void }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [f, setF] = useState({ address: '', movedOn: '' });
  const move = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/cases/{id}/moves', {
          params: { path: { id: c.id } },
          body: { address: f.address, movedOn: f.movedOn },
        }),
      ),
    onSuccess: async (result) => {
      setOpen(false);
      onMoved(result);
      // The case's current address and its timeline (a `moved` event) changed too.
      await queryClient.invalidateQueries({ queryKey: ['case', c.id] });
    },
  });
  const e = fieldErrorsOf(move.error);
  return (
    <>
      <Button
        size="compact-sm"
        variant="light"
        onClick={() => {
          setF({ address: '', movedOn: '' });
          move.reset();
          setOpen(true);
        }}
      >
        転居を記録
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="転居を記録">
        <Stack gap="sm">
          <ErrorBanner error={move.error} />
          <Text size="sm">現住所：{c.household.address}</Text>
          <TextInput
            label="転居先の住所"
            required
            value={f.address}
            onChange={(x) => setF({ ...f, address: x.currentTarget.value })}
            error={e.address}
          />
          <TextInput
            type="date"
            label="転居日"
            required
            value={f.movedOn}
            onChange={(x) => setF({ ...f, movedOn: x.currentTarget.value })}
            error={e.movedOn}
          />
          <Text size="xs" c="dimmed">
            きょうだいのケースも同じ世帯として転居します。担当地区は変わりません（変更はスーパーバイザーの担当割当）。
          </Text>
          <DialogActions
            onCancel={() => setOpen(false)}
            onConfirm={() => move.mutate()}
            label="記録する"
            loading={move.isPending}
          />
        </Stack>
      </Modal>
    </>
  );
}
