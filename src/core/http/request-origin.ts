import type { FastifyRequest } from 'fastify';
import type { RequestOrigin } from '../../audit/audit.service';

/** The client address (behind trusted proxies) and request id, for the audit log. */
export function originOf(request: FastifyRequest): RequestOrigin {
  return { ip: request.ip ?? null, requestId: String(request.id) };
}
