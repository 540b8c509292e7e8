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
import { ErrorBanner, PageTitle, Pager, QueryState, DialogActions, useCursorPages } from '../components/ui';
import { fieldErrorsOf } from '../problems';

type User = Schemas['UserView'];

/** Users (admin): create, reset a password (the one-time password shown once), deactivate. */
export function AdminUsersPage() {
  const queryClient = useQueryClient();
  const pages = useCursorPages();
  const [creating, setCreating] = useState(false);
  const [oneTime, setOneTime] = useState<{ username: string; password: string } | null>(null);
  const { cursor } = pages;
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
      <Pager pages={pages} nextCursor={query.data?.nextCursor} />
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
        <DialogActions
          onCancel={onClose}
          onConfirm={() => create.mutate()}
          label="作成する"
          loading={create.isPending}
        />
      </Stack>
    </Modal>
  );
}

/** Districts (admin): create, areas (town names and postal codes), members (with the lead) and supervisors. */
export function AdminDistrictsPage() {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['districts'],
    queryFn: async () => unwrap(await api.GET('/api/v1/districts')),
  });
  const [selected, setSelected] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [areas, setAreas] = useState('');
  const create = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/districts', { body: { code, name, areas: splitAreas(areas) } })),
    onSuccess: async () => {
      setCode('');
      setName('');
      setAreas('');
      await queryClient.invalidateQueries({ queryKey: ['districts'] });
    },
  });
  const e = fieldErrorsOf(create.error);
  const items = query.data?.items ?? [];
  const district = items.find((d) => d.id === selected);
  return (
    <>
      <PageTitle>地区</PageTitle>
      <ErrorBanner error={create.error} />
      <Group align="flex-end" gap="xs" mb="sm">
        <TextInput
          label="コード"
          size="xs"
          w={110}
          value={code}
          onChange={(x) => setCode(x.currentTarget.value)}
          error={e.code}
        />
        <TextInput
          label="名称"
          size="xs"
          w={160}
          value={name}
          onChange={(x) => setName(x.currentTarget.value)}
          error={e.name}
        />
        <TextInput
          label="区域（町名・郵便番号、読点区切り）"
          size="xs"
          w={360}
          value={areas}
          onChange={(x) => setAreas(x.currentTarget.value)}
          error={e.areas}
        />
        <Button size="xs" onClick={() => create.mutate()} loading={create.isPending}>
          地区を追加
        </Button>
      </Group>
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
                  区域・職員
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {district && <DistrictDialog district={district} onClose={() => setSelected(null)} />}
    </>
  );
}

function splitAreas(text: string): string[] {
  return text
    .split(/[、,，\n]/)
    .map((a) => a.trim())
    .filter(Boolean);
}

type District = Schemas['DistrictView'];

function DistrictDialog({ district, onClose }: { district: District; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [areas, setAreas] = useState(district.areas.join('、'));
  const [userId, setUserId] = useState<string | null>(null);
  const [role, setRole] = useState<'member' | 'lead' | 'supervisor'>('member');
  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 100 } } })),
  });
  const members = useQuery({
    queryKey: ['district-members', district.id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/districts/{id}/members', { params: { path: { id: district.id } } })),
  });
  const supervisors = useQuery({
    queryKey: ['district-supervisors', district.id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/districts/{id}/supervisors', { params: { path: { id: district.id } } })),
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['districts'] });
    await queryClient.invalidateQueries({ queryKey: ['district-members', district.id] });
    await queryClient.invalidateQueries({ queryKey: ['district-supervisors', district.id] });
  };
  const saveAreas = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/api/v1/districts/{id}', {
          params: { path: { id: district.id }, header: { 'If-Match': `"${district.version}"` } },
          body: { areas: splitAreas(areas) },
        }),
      ),
    onSuccess: refresh,
  });
  const add = useMutation({
    mutationFn: async () =>
      role === 'supervisor'
        ? unwrap(
            await api.POST('/api/v1/districts/{id}/supervisors', {
              params: { path: { id: district.id } },
              body: { userId: userId ?? '' },
            }),
          )
        : unwrap(
            await api.POST('/api/v1/districts/{id}/members', {
              params: { path: { id: district.id } },
              body: { userId: userId ?? '', role },
            }),
          ),
    onSuccess: async () => {
      setUserId(null);
      await refresh();
    },
  });
  const end = useMutation({
    mutationFn: async (m: Schemas['MembershipView']) =>
      m.role === 'supervisor'
        ? unwrap(
            await api.DELETE('/api/v1/districts/{id}/supervisors/{userId}', {
              params: { path: { id: district.id, userId: m.userId } },
            }),
          )
        : unwrap(
            await api.DELETE('/api/v1/districts/{id}/members/{userId}', {
              params: { path: { id: district.id, userId: m.userId } },
            }),
          ),
    onSuccess: refresh,
  });
  const current = [...(supervisors.data?.items ?? []), ...(members.data?.items ?? [])].filter((m) => !m.validTo);
  const eligible = (users.data?.items ?? []).filter(
    (u) => u.active && u.roles.includes(role === 'supervisor' ? 'supervisor' : 'counselor'),
  );
  const e = fieldErrorsOf(add.error);
  return (
    <Modal opened onClose={onClose} title={`${district.name}（${district.code}）`} size="lg">
      <Stack gap="sm">
        <ErrorBanner error={saveAreas.error ?? add.error ?? end.error} onReload={() => void refresh().then(onClose)} />
        <Group align="flex-end" gap="xs">
          <TextInput
            label="区域（町名・郵便番号、読点区切り）"
            style={{ flex: 1 }}
            value={areas}
            onChange={(x) => setAreas(x.currentTarget.value)}
            error={fieldErrorsOf(saveAreas.error).areas}
          />
          <Button onClick={() => saveAreas.mutate()} loading={saveAreas.isPending}>
            区域を保存
          </Button>
        </Group>
        <Table withTableBorder verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>役割</Table.Th>
              <Table.Th>氏名</Table.Th>
              <Table.Th>操作</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {current.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>
                  <Badge variant="light">
                    {m.role === 'supervisor' ? 'スーパーバイザー' : m.role === 'lead' ? 'リーダー' : '相談員'}
                  </Badge>
                </Table.Td>
                <Table.Td>{m.displayName}</Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="light" color="red" onClick={() => end.mutate(m)}>
                    外す
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group align="flex-end" gap="xs">
          <Select
            label="役割"
            w={170}
            data={[
              { value: 'member', label: '相談員' },
              { value: 'lead', label: 'リーダー' },
              { value: 'supervisor', label: 'スーパーバイザー' },
            ]}
            value={role}
            onChange={(v) => {
              setRole((v as typeof role) ?? 'member');
              setUserId(null);
            }}
            allowDeselect={false}
          />
          <Select
            label="職員"
            style={{ flex: 1 }}
            data={eligible.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
            value={userId}
            onChange={setUserId}
            searchable
            error={e.userId}
          />
          <Button onClick={() => add.mutate()} disabled={!userId} loading={add.isPending}>
            加える
          </Button>
        </Group>
      </Stack>
    </Modal>
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
