import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../core/errors/domain-error';
import { REFRESH_TOKEN_DAYS } from './token.service';

/**
 * The console's session (issue 17, "Sessions"): the refresh token lives in a
 * cookie that no script can read, sent only to the auth routes and only from
 * this site; the access token stays in the page's memory. API clients keep
 * the bearer flow with the refresh token in the body.
 */
export const REFRESH_COOKIE = 'tsunagu_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

export function setRefreshCookie(reply: FastifyReply, token: string): void {
  const maxAge = REFRESH_TOKEN_DAYS * 24 * 3600;
  void reply.header(
    'set-cookie',
    `${REFRESH_COOKIE}=${token}; Max-Age=${maxAge}; Path=${REFRESH_COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict`,
  );
}

export function clearRefreshCookie(reply: FastifyReply): void {
  void reply.header(
    'set-cookie',
    `${REFRESH_COOKIE}=; Max-Age=0; Path=${REFRESH_COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict`,
  );
}

/** The refresh cookie's value, or null (a token reads `<id>.<secret>`: base64url and a dot). */
export function refreshCookieOf(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === REFRESH_COOKIE) {
      const value = rest.join('=');
      return /^[A-Za-z0-9._-]{1,200}$/.test(value) ? value : null;
    }
  }
  return null;
}

/**
 * A cookie travels with any request the browser makes to this site, so a
 * refresh by cookie must come from a page of this site: its Origin header is
 * this server's own origin or one the operator allowed (CORS_ORIGINS).
 * SameSite=Strict already keeps other sites' requests from carrying it; this
 * is the second lock, and the only one in a browser that ignores SameSite.
 */
export function assertSameOrigin(request: FastifyRequest, allowed: readonly string[]): void {
  const origin = request.headers.origin;
  const own = `${request.protocol}://${request.host}`;
  if (typeof origin !== 'string' || (origin !== own && !allowed.includes(origin))) {
    throw new DomainError('forbidden', 'A session cookie is accepted only from this site');
  }
}
