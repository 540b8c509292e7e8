import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { fieldErrorsOf, problemMessage } from '../problems';
import { useSession } from '../session';

/** Login: a plain form, so Tab, typing and Enter are all it takes (keyboard-only works). */
export function LoginPage({ reason }: { reason?: 'idle' | 'expired' }) {
  const { login } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
    } catch (e) {
      setError(problemMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" component="main">
      <Paper withBorder shadow="sm" p="xl" w={380}>
        <form onSubmit={(e) => void submit(e)} aria-label="ログイン">
          <Stack gap="sm">
            <Title order={1} size="h3">
              つなぐ ログイン
            </Title>
            <Text size="sm" c="dimmed">
              子ども家庭総合支援 ケース管理
            </Text>
            {reason === 'idle' && <Alert color="yellow">一定時間操作がなかったため、ログアウトしました。</Alert>}
            {reason === 'expired' && (
              <Alert color="yellow">セッションの有効期限が切れました。再度ログインしてください。</Alert>
            )}
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <TextInput
              label="ユーザー名"
              autoComplete="username"
              required
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
            />
            <PasswordInput
              label="パスワード"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy}>
              ログイン
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

/** The first login's forced change (access.md: a new user must change the initial password; 12 characters). */
export function ChangePasswordPage({ firstLogin = false }: { firstLogin?: boolean }) {
  const { reloadProfile, logout } = useSession();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBanner(null);
    if (next !== again) {
      setErrors({ again: '新しいパスワードが一致しません' });
      return;
    }
    setErrors({});
    try {
      unwrap(await api.POST('/api/v1/auth/password', { body: { currentPassword: current, newPassword: next } }));
      await reloadProfile();
      setDone(true);
      if (!firstLogin) void navigate('/');
    } catch (e) {
      setErrors(fieldErrorsOf(e));
      setBanner(problemMessage(e));
    }
  };

  const form = (
    <form onSubmit={(e) => void submit(e)} aria-label="パスワード変更">
      <Stack gap="sm" maw={380}>
        <Title order={firstLogin ? 1 : 2} size="h3">
          パスワードの変更
        </Title>
        {firstLogin && <Alert color="blue">初回ログインです。仮パスワードを新しいパスワードに変更してください。</Alert>}
        {banner && (
          <Alert color="red" role="alert">
            {banner}
          </Alert>
        )}
        {done && <Alert color="green">パスワードを変更しました。</Alert>}
        <PasswordInput
          label="現在のパスワード"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          error={errors.currentPassword}
        />
        <PasswordInput
          label="新しいパスワード（12文字以上）"
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={errors.newPassword}
        />
        <PasswordInput
          label="新しいパスワード（確認）"
          autoComplete="new-password"
          required
          value={again}
          onChange={(e) => setAgain(e.currentTarget.value)}
          error={errors.again}
        />
        <Button type="submit">変更する</Button>
        {firstLogin && (
          <Button variant="subtle" onClick={() => void logout()}>
            ログアウト
          </Button>
        )}
      </Stack>
    </form>
  );
  return firstLogin ? (
    <Center mih="100vh" component="main">
      <Paper withBorder p="xl">
        {form}
      </Paper>
    </Center>
  ) : (
    form
  );
}
