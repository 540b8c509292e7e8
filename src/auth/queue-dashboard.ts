import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JobQueue } from '../core/queue/job-queue.service';
import { sendProblem, toProblem } from '../core/errors/problem.filter';
import { DomainError } from '../core/errors/domain-error';
import { originOf } from '../core/http/request-origin';
import type { AccessTokenPayload } from './token.service';
import { ActorService } from '../access/actor.service';
import { roleAllows } from '../access/policy';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'tsunagu_queues';

function tokenOf(request: FastifyRequest): { token: string; fromQuery: boolean } | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return { token: header.slice(7), fromQuery: false };
  const query = (request.query as Record<string, unknown> | undefined)?.token;
  if (typeof query === 'string' && query.length > 0) return { token: query, fromQuery: true };
  const cookie = request.headers.cookie
    ?.split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${COOKIE}=`));
  if (!cookie) return null;
  try {
    return { token: decodeURIComponent(cookie.slice(COOKIE.length + 1)), fromQuery: false };
  } catch {
    return null; // a malformed %-escape is no token (401), not a 500
  }
}

async function deny(reply: FastifyReply, error: DomainError) {
  await sendProblem(reply, toProblem(error));
}

/**
 * The BullMQ dashboard (@bull-board) at /admin/queues, for admins only
 * (access.md, "queue dashboard"). It is a browser UI whose own requests carry
 * no Authorization header, so an admin opens it once as
 * /admin/queues?token=<access token>; the token is then kept in an HttpOnly,
 * SameSite=Strict cookie scoped to the dashboard's path for its lifetime.
 * Every request, page or API call, is checked against the same rules as the API.
 */
export async function mountQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const jwt = app.get(JwtService);
  const actors = app.get(ActorService);
  const jobs = app.get(JobQueue);
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: jobs.all().map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Tsunagu queues' } },
  });

  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', async (request, reply) => {
      const presented = tokenOf(request);
      if (!presented) return deny(reply, new DomainError('unauthenticated', 'A valid access token is required'));
      let payload: AccessTokenPayload;
      try {
        payload = await jwt.verifyAsync<AccessTokenPayload & object>(presented.token, { algorithms: ['HS256'] });
      } catch {
        return deny(reply, new DomainError('unauthenticated', 'A valid access token is required'));
      }
      const actor = await actors.load(payload.sub, payload.tv, originOf(request));
      if (!actor) return deny(reply, new DomainError('unauthenticated', 'A valid access token is required'));
      if (actor.mustChangePassword) {
        return deny(reply, new DomainError('password_change_required', 'Change the initial password first'));
      }
      if (!roleAllows(actor, 'queues.view')) return deny(reply, DomainError.forbidden());
      if (presented.fromQuery) {
        void reply.header(
          'set-cookie',
          `${COOKIE}=${encodeURIComponent(presented.token)}; Path=${QUEUE_DASHBOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=900` +
            // Behind TLS (directly, or a trusted proxy's X-Forwarded-Proto) the cookie never travels in clear.
            (request.protocol === 'https' ? '; Secure' : ''),
        );
      }
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
