import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Table,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api/client';
import { ROLE_LABELS } from '../App';
import { useLabel, useOptions } from '../codes';
import { ErrorBanner, PageTitle, Pager, QueryState } from '../components/ui';
import { fieldErrorsOf } from '../problems';

type User = Schemas['UserView'];

/** Users (admin): create, reset a password (the one-time password shown once), deactivate. */
export function AdminUsersPage() {
  const queryClient = useQueryClient();
  const [cursors, setCursors] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const [oneTime, setOneTime] = useState<{ username: string; password: string } | null>(null);
  const cursor = cursors.at(-1);
  const query = useQuery({
    queryKey: ['users', cursor],
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 50, cursor } } })),
  });
  const reset = useMutation({
    mutationFn: async (u: User) =>
      unwrap(await api.POST('/api/v1/users/{id}/reset-password', { params: { path: { id: u.id } } })),
    onSuccess: (r) => setOneTime({ username: r.user.username, password: r.oneTimePassword ?? '' }),
  });
  const deactivate = useMutation({
    mutationFn: async (u: User) =>
      unwrap(await api.POST('/api/v1/users/{id}/deactivate', { params: { path: { id: u.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  const items = query.data?.items ?? [];
  return (
    <>
      <PageTitle
        right={
          <Button size="compact-sm" onClick={() => setCreating(true)}>
            ユーザーを作成
          </Button>
        }
      >
        ユーザー
      </PageTitle>
      <ErrorBanner error={reset.error ?? deactivate.error} />
      <QueryState query={query} empty={items.length === 0} />
      {items.length > 0 && (
        <Table striped withTableBorder verticalSpacing={4} className="tsunagu-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>ユーザー名</Table.Th>
              <Table.Th>氏名</Table.Th>
              <Table.Th>役割</Table.Th>
              <Table.Th>状態</Table.Th>
              <Table.Th>操作</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{u.username}</Table.Td>
                <Table.Td>{u.displayName}</Table.Td>
                <Table.Td>{u.roles.map((r) => ROLE_LABELS[r]).join('・')}</Table.Td>
                <Table.Td>
                  {u.active ? '有効' : <Badge color="gray">無効</Badge>}
                  {u.active && u.mustChangePassword && (
                    <Badge size="xs" ml={4} color="yellow" autoContrast>
                      初期パスワード
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {u.active && (
                    <Group gap={4}>
                      <Button size="compact-xs" variant="light" onClick={() => reset.mutate(u)}>
                        パスワード再発行
                      </Button>
                      <Button
                        size="compact-xs"
                        variant="light"
                        color="red"
                        onClick={() => window.confirm(`${u.displayName} を無効にしますか？`) && deactivate.mutate(u)}
                      >
                        無効にする
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Pager
        hasPrevious={cursors.length > 0}
        nextCursor={query.data?.nextCursor}
        onPrevious={() => setCursors(cursors.slice(0, -1))}
        onNext={(c) => setCursors([...cursors, c])}
      />
      {creating && (
        <CreateUser
          onClose={() => setCreating(false)}
          onCreated={(username, password) => {
            setCreating(false);
            setOneTime({ username, password });
          }}
        />
      )}
      <Modal opened={oneTime !== null} onClose={() => setOneTime(null)} title="仮パスワード（一度だけ表示）">
        <Stack gap="sm">
          <Alert color="yellow">
            この画面を閉じると二度と表示されません。本人に安全な方法で伝えてください。初回ログイン時に変更が求められます。
          </Alert>
          <div>
            ユーザー名：<Code>{oneTime?.username}</Code>
          </div>
          <div>
            仮パスワード：<Code data-testid="one-time-password">{oneTime?.password}</Code>
          </div>
          <Group justify="flex-end">
            <Button onClick={() => setOneTime(null)}>閉じる</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function CreateUser({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (username: string, password: string) => void;
}) {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<string[]>(['counselor']);
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/users', {
          body: { username, displayName, roles: roles as User['roles'], ...(email ? { email } : {}) },
        }),
      ),
    onSuccess: async (r) => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      onCreated(r.user.username, r.oneTimePassword ?? '');
    },
  });
  const e = fieldErrorsOf(create.error);
  return (
    <Modal opened onClose={onClose} title="ユーザーを作成">
      <Stack gap="sm">
        <ErrorBanner error={create.error} />
        <TextInput
          label="ユーザー名"
          required
          value={username}
          onChange={(x) => setUsername(x.currentTarget.value)}
          error={e.username}
        />
        <TextInput
          label="氏名"
          required
          value={displayName}
          onChange={(x) => setDisplayName(x.currentTarget.value)}
          error={e.displayName}
        />
        <TextInput
          label="メールアドレス"
          value={email}
          onChange={(x) => setEmail(x.currentTarget.value)}
          error={e.email}
        />
        <MultiSelect
          label="役割"
          data={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
          value={roles}
          onChange={setRoles}
          error={e.roles}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            やめる
          </Button>
          <Button onClick={() => create.mutate()} loading={create.isPending}>
            作成する
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Districts (admin): areas, members and supervisors. */
export function AdminDistrictsPage() {
  const query = useQuery({
    queryKey: ['districts'],
    queryFn: async () => unwrap(await api.GET('/api/v1/districts')),
  });
  const [selected, setSelected] = useState<string | null>(null);
  const members = useQuery({
    queryKey: ['district-members', selected],
    enabled: selected !== null,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/districts/{id}/members', { params: { path: { id: selected! } } })),
  });
  const supervisors = useQuery({
    queryKey: ['district-supervisors', selected],
    enabled: selected !== null,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/districts/{id}/supervisors', { params: { path: { id: selected! } } })),
  });
  const items = query.data?.items ?? [];
  return (
    <>
      <PageTitle>地区</PageTitle>
      <QueryState query={query} empty={items.length === 0} />
      <Table striped withTableBorder verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>コード</Table.Th>
            <Table.Th>名称</Table.Th>
            <Table.Th>区域（町名・郵便番号）</Table.Th>
            <Table.Th>操作</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>{d.code}</Table.Td>
              <Table.Td>{d.name}</Table.Td>
              <Table.Td style={{ whiteSpace: 'normal' }}>{d.areas.join('、')}</Table.Td>
              <Table.Td>
                <Button size="compact-xs" variant="light" onClick={() => setSelected(d.id)}>
                  職員を見る
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal
        opened={selected !== null}
        onClose={() => setSelected(null)}
        title={`${items.find((d) => d.id === selected)?.name ?? ''} の職員`}
      >
        <Stack gap="xs">
          {[...(supervisors.data?.items ?? []), ...(members.data?.items ?? [])]
            .filter((m) => !m.validTo)
            .map((m) => (
              <Group key={m.id} gap="xs">
                <Badge variant="light">
                  {m.role === 'supervisor' ? 'スーパーバイザー' : m.role === 'lead' ? 'リーダー' : '相談員'}
                </Badge>
                {m.displayName}
              </Group>
            ))}
        </Stack>
      </Modal>
    </>
  );
}

/** Organizations (admin): the referral partners, internal and external. */
export function AdminOrganizationsPage() {
  const label = useLabel();
  const types = useOptions('organizationTypes');
  const kinds = useOptions('organizationKinds');
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['organizations'],
    queryFn: async () => unwrap(await api.GET('/api/v1/organizations', { params: { query: { limit: 100 } } })),
  });
  const [name, setName] = useState('');
  const [type, setType] = useState<string | null>('school');
  const [kind, setKind] = useState<string | null>('external');
  const [council, setCouncil] = useState(true);
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/organizations', {
          body: { name, type: type as never, kind: kind as never, councilMember: council },
        }),
      ),
    onSuccess: async () => {
      setName('');
      await queryClient.invalidateQueries({ queryKey: ['organizations'] });
    },
  });
  const e = fieldErrorsOf(create.error);
  const items = query.data?.items ?? [];
  return (
    <>
      <PageTitle>関係機関</PageTitle>
      <ErrorBanner error={create.error} />
      <Group align="flex-end" gap="xs" mb="sm">
        <TextInput
          label="機関名"
          size="xs"
          w={260}
          value={name}
          onChange={(x) => setName(x.currentTarget.value)}
          error={e.name}
        />
        <Select label="種別" size="xs" data={types} value={type} onChange={setType} error={e.type} />
        <Select label="区分" size="xs" w={120} data={kinds} value={kind} onChange={setKind} error={e.kind} />
        <Checkbox
          label="要対協構成機関"
          size="xs"
          mb={6}
          checked={council}
          onChange={(x) => setCouncil(x.currentTarget.checked)}
        />
        <Button size="xs" onClick={() => create.mutate()} loading={create.isPending}>
          追加
        </Button>
      </Group>
      <QueryState query={query} empty={items.length === 0} />
      {items.length > 0 && (
        <Table striped withTableBorder verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>機関名</Table.Th>
              <Table.Th>種別</Table.Th>
              <Table.Th>区分</Table.Th>
              <Table.Th>要対協</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((o) => (
              <Table.Tr key={o.id}>
                <Table.Td>{o.name}</Table.Td>
                <Table.Td>{label('organizationTypes', o.type)}</Table.Td>
                <Table.Td>{label('organizationKinds', o.kind)}</Table.Td>
                <Table.Td>{o.councilMember ? '構成機関' : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
