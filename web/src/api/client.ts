import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

/** The API's shapes, as the OpenAPI document names them (never written by hand). */
export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

/**
 * The access token lives in this module's memory only (issue 17, "Sessions"):
 * a reload loses it and the refresh cookie, which no script can read, buys a
 * new one. Nothing goes to localStorage or sessionStorage.
 */
let accessToken: string | null = null;
let sessionLost: () => void = () => undefined;

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

/** Called when a request is refused and the session cannot be renewed (expired, revoked, logged out elsewhere). */
export function onSessionLost(handler: () => void): void {
  sessionLost = handler;
}

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh cookie for a new access token; one request at a time however many callers wait. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= fetch('/api/v1/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    credentials: 'same-origin',
  })
    .then(async (response) => {
      if (!response.ok) {
        accessToken = null;
        return false;
      }
      accessToken = ((await response.json()) as Schemas['SessionTokens']).accessToken;
      return true;
    })
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

function send(request: Request): Promise<Response> {
  if (accessToken) request.headers.set('authorization', `Bearer ${accessToken}`);
  return fetch(request);
}

/** An expired access token (15 min) is renewed once and the request sent again. */
async function authenticatedFetch(request: Request): Promise<Response> {
  const again = request.clone();
  const response = await send(request);
  // Login and refresh answer 401 for wrong credentials or a spent session: nothing to renew there.
  const path = new URL(request.url).pathname;
  if (response.status !== 401 || path === '/api/v1/auth/login' || path === '/api/v1/auth/refresh') return response;
  if (!(await refreshSession())) {
    sessionLost();
    return response;
  }
  return send(again);
}

export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: authenticatedFetch });

/** A refused request, with the API's problem+json body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? `HTTP ${status}`);
  }
  get code(): string | undefined {
    return this.problem?.code;
  }
}

/** openapi-fetch's answer as a value, or a thrown ApiError (what TanStack Query expects). */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiError(result.response.status, (result.error as Problem | undefined) ?? null);
  }
  return result.data as T;
}

/** The file answer of a CSV export, with the session's token (a plain link would carry none). */
export async function download(path: string, filename: string): Promise<void> {
  let response = await send(new Request(path));
  if (response.status === 401 && (await refreshSession())) response = await send(new Request(path));
  if (!response.ok) throw new ApiError(response.status, null);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}
