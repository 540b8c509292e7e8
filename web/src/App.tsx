import { AppShell, Badge, Button, Center, Group, Loader, NavLink as MantineNavLink, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { api, unwrap } from './api/client';
import { AdminDistrictsPage, AdminOrganizationsPage, AdminUsersPage } from './pages/Admin';
import { CaseListPage } from './pages/CaseList';
import { CasePage } from './pages/CasePage';
import { ChangePasswordPage, LoginPage } from './pages/Login';
import { IntakePage } from './pages/Intake';
import { MyTasksPage } from './pages/MyTasks';
import { NotificationsPage } from './pages/Notifications';
import { PrintRecordPage } from './pages/PrintRecord';
import { ReferralsPage } from './pages/Referrals';
import { StatsPage } from './pages/Stats';
import { CaseloadsPage, OverdueWorkPage } from './pages/Supervisor';
import { useSession, useUser, type Role } from './session';

export function App() {
  const { state } = useSession();
  const location = useLocation();
  if (state.phase === 'loading') {
    return (
      <Center h="100vh">
        <Loader role="status" aria-label="読み込み中" />
      </Center>
    );
  }
  if (state.phase === 'anonymous') {
    return <LoginPage reason={state.reason} />;
  }
  if (state.user.mustChangePassword) return <ChangePasswordPage firstLogin />;
  // The print view is a sheet of paper, without the console's frame.
  if (/^\/cases\/[^/]+\/print$/.test(location.pathname)) {
    return (
      <Routes>
        <Route path="/cases/:id/print" element={<PrintRecordPage />} />
      </Routes>
    );
  }
  return (
    <Shell>
      <Routes>
        <Route path="/" element={<MyTasksPage />} />
        <Route path="/notifications" element={<NotificationsPage />} />
        <Route path="/password" element={<ChangePasswordPage />} />
        <Route path="/intake" element={<Guard roles={['counselor', 'supervisor']} page={<IntakePage />} />} />
        <Route path="/cases" element={<Guard roles={['counselor', 'supervisor']} page={<CaseListPage />} />} />
        <Route
          path="/intake-queue"
          element={<Guard roles={['supervisor']} page={<CaseListPage preset="intake" />} />}
        />
        <Route
          path="/closures"
          element={<Guard roles={['supervisor']} page={<CaseListPage preset="closure_requested" />} />}
        />
        <Route path="/overdue" element={<Guard roles={['supervisor']} page={<OverdueWorkPage />} />} />
        <Route path="/caseloads" element={<Guard roles={['supervisor']} page={<CaseloadsPage />} />} />
        <Route path="/cases/:id" element={<CasePage />} />
        <Route
          path="/referrals"
          element={<Guard roles={['staff', 'counselor', 'supervisor']} page={<ReferralsPage />} />}
        />
        <Route path="/stats" element={<Guard roles={['supervisor', 'staff', 'admin']} page={<StatsPage />} />} />
        <Route path="/admin/users" element={<Guard roles={['admin']} page={<AdminUsersPage />} />} />
        <Route path="/admin/districts" element={<Guard roles={['admin']} page={<AdminDistrictsPage />} />} />
        <Route path="/admin/organizations" element={<Guard roles={['admin']} page={<AdminOrganizationsPage />} />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Shell>
  );
}

/** A screen the role never uses is not offered (the API would refuse its requests anyway). */
function Guard({ roles, page }: { roles: Role[]; page: ReactNode }) {
  const user = useUser();
  return roles.some((r) => user.has(r)) ? page : <Navigate to="/" replace />;
}

interface NavItem {
  to: string;
  label: string;
  roles?: Role[];
}

const NAV: { heading: string; items: NavItem[] }[] = [
  {
    heading: '共通',
    items: [
      { to: '/', label: 'マイタスク' },
      { to: '/notifications', label: '通知' },
    ],
  },
  {
    heading: '相談',
    items: [
      { to: '/intake', label: '受付票（新規受付）', roles: ['counselor', 'supervisor'] },
      { to: '/cases', label: 'ケース一覧', roles: ['counselor', 'supervisor'] },
    ],
  },
  {
    heading: 'スーパーバイザー',
    items: [
      { to: '/intake-queue', label: '受付待ち', roles: ['supervisor'] },
      { to: '/closures', label: '終結承認', roles: ['supervisor'] },
      { to: '/overdue', label: '期限超過', roles: ['supervisor'] },
      { to: '/caseloads', label: '担当件数', roles: ['supervisor'] },
    ],
  },
  {
    heading: '連携・統計',
    items: [
      { to: '/referrals', label: '送致・連携', roles: ['staff', 'counselor', 'supervisor'] },
      { to: '/stats', label: '統計・CSV出力', roles: ['supervisor', 'staff', 'admin'] },
    ],
  },
  {
    heading: '管理',
    items: [
      { to: '/admin/users', label: 'ユーザー', roles: ['admin'] },
      { to: '/admin/districts', label: '地区', roles: ['admin'] },
      { to: '/admin/organizations', label: '関係機関', roles: ['admin'] },
    ],
  },
];

function Shell({ children }: { children: ReactNode }) {
  const user = useUser();
  const { logout } = useSession();
  const location = useLocation();
  const unread = useQuery({
    queryKey: ['notifications', 'unread-count'],
    queryFn: async () => unwrap(await api.GET('/api/v1/notifications/unread-count')),
    refetchInterval: 30_000,
  });
  const count = unread.data?.unread ?? 0;
  return (
    <AppShell header={{ height: 48 }} navbar={{ width: 210, breakpoint: 0 }} padding="md">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between">
          <Group gap="xs">
            <Title order={1} size="h4">
              つなぐ
            </Title>
            <Text size="sm" c="dimmed">
              子ども家庭総合支援
            </Text>
          </Group>
          <Group gap="sm">
            <Button component={Link} to="/notifications" variant="subtle" size="compact-sm">
              通知
              {count > 0 && (
                <Badge ml={6} color="red" size="sm" circle={count < 10} aria-label={`未読 ${count} 件`}>
                  {count}
                </Badge>
              )}
            </Button>
            <Text size="sm">
              {user.displayName}（{user.roles.map((r) => ROLE_LABELS[r]).join('・')}）
            </Text>
            <Button component={Link} to="/password" variant="subtle" size="compact-sm">
              パスワード変更
            </Button>
            <Button variant="default" size="compact-sm" onClick={() => void logout()}>
              ログアウト
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="メインメニュー">
        {NAV.map((section) => {
          const items = section.items.filter((i) => !i.roles || i.roles.some((r) => user.has(r)));
          if (items.length === 0) return null;
          return (
            <div key={section.heading}>
              <Text size="xs" c="dimmed" fw={600} mt="xs" mb={2} px="xs">
                {section.heading}
              </Text>
              {items.map((item) => (
                <MantineNavLink
                  key={item.to}
                  component={Link}
                  to={item.to}
                  label={item.label}
                  active={item.to === '/' ? location.pathname === '/' : location.pathname.startsWith(item.to)}
                  variant="filled"
                  py={4}
                />
              ))}
            </div>
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}

export const ROLE_LABELS: Record<Role, string> = {
  counselor: '相談員',
  supervisor: 'スーパーバイザー',
  staff: '連携担当・事務',
  admin: 'システム管理者',
};
