import { Button, Group, Modal, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, onSessionLost, refreshSession, setAccessToken, unwrap, type Schemas } from './api/client';

export type Profile = Schemas['Profile'];
export type Role = Profile['roles'][number];

type State =
  { phase: 'loading' } | { phase: 'anonymous'; reason?: 'idle' | 'expired' } | { phase: 'in'; user: Profile };

interface Session {
  state: State;
  login(username: string, password: string): Promise<void>;
  logout(reason?: 'idle' | 'expired'): Promise<void>;
  reloadProfile(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The logged-in user; only for screens behind the login. */
export function useUser(): Profile & { has(role: Role): boolean } {
  const { state } = useSession();
  if (state.phase !== 'in') throw new Error('useUser without a session');
  return { ...state.user, has: (role: Role) => state.user.roles.includes(role) };
}

/** The idle timeout (issue 17: configurable, default 30 min), from the page the server rendered (CONSOLE_IDLE_MINUTES). */
function idleMinutes(): number {
  const value = Number(document.querySelector('meta[name="tsunagu-idle-minutes"]')?.getAttribute('content'));
  return Number.isFinite(value) && value > 0 ? value : 30;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<State>({ phase: 'loading' });

  const end = useCallback(
    (reason?: 'idle' | 'expired') => {
      setAccessToken(null);
      // Logout clears every cached query: the next user of this browser sees nothing of the last one's.
      queryClient.clear();
      setState({ phase: 'anonymous', reason });
    },
    [queryClient],
  );

  const loadProfile = useCallback(async () => {
    const user = unwrap(await api.GET('/api/v1/auth/me'));
    setState({ phase: 'in', user });
  }, []);

  // A reload keeps the session: the refresh cookie buys a new access token silently.
  useEffect(() => {
    onSessionLost(() => end('expired'));
    void (async () => {
      if (await refreshSession()) {
        try {
          await loadProfile();
          return;
        } catch {
          /* fall through to the login */
        }
      }
      setState({ phase: 'anonymous' });
    })();
  }, [end, loadProfile]);

  const session = useMemo<Session>(
    () => ({
      state,
      async login(username, password) {
        const result = unwrap(
          await api.POST('/api/v1/auth/login', { body: { username, password, session: 'cookie' } }),
        );
        setAccessToken(result.accessToken);
        setState({ phase: 'in', user: result.user });
      },
      async logout(reason) {
        try {
          await api.POST('/api/v1/auth/logout', { body: {} });
        } catch (error) {
          if (!(error instanceof ApiError)) console.error(error);
        }
        end(reason);
      },
      reloadProfile: loadProfile,
    }),
    [state, end, loadProfile],
  );

  return (
    <SessionContext.Provider value={session}>
      {children}
      {state.phase === 'in' && <IdleWatch minutes={idleMinutes()} onTimeout={() => void session.logout('idle')} />}
    </SessionContext.Provider>
  );
}

const ACTIVITY = ['mousedown', 'keydown', 'wheel', 'touchstart', 'mousemove'] as const;

/** Logs out after `minutes` without input, with a warning a minute before. */
function IdleWatch({ minutes, onTimeout }: { minutes: number; onTimeout: () => void }) {
  const last = useRef(Date.now());
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const warned = secondsLeft !== null;

  useEffect(() => {
    const touch = () => {
      if (!warned) last.current = Date.now();
    };
    for (const e of ACTIVITY) window.addEventListener(e, touch, { passive: true });
    const timer = window.setInterval(() => {
      const left = Math.ceil((last.current + minutes * 60_000 - Date.now()) / 1000);
      if (left <= 0) onTimeout();
      else setSecondsLeft(left <= 60 ? left : null);
    }, 1000);
    return () => {
      for (const e of ACTIVITY) window.removeEventListener(e, touch);
      window.clearInterval(timer);
    };
  }, [minutes, onTimeout, warned]);

  const stay = () => {
    last.current = Date.now();
    setSecondsLeft(null);
  };
  return (
    <Modal opened={warned} onClose={stay} title="まもなく自動ログアウトします" centered>
      <Text mb="md">操作がないため、あと {secondsLeft} 秒でログアウトします。</Text>
      <Group justify="flex-end">
        <Button onClick={stay}>作業を続ける</Button>
      </Group>
    </Modal>
  );
}
