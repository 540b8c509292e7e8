import type { FastifyRequest } from 'fastify';

/** Where a request came from (a login attempt has no actor yet). */
export interface RequestOrigin {
  ip: string | null;
  requestId: string | null;
}

/** The client address (behind trusted proxies) and request id, for the audit log. */
export function originOf(request: FastifyRequest): RequestOrigin {
  return { ip: request.ip ?? null, requestId: String(request.id) };
}
