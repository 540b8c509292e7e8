import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainError, ErrorCode, statusOf } from './domain-error';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Nest's and Fastify's own HTTP errors, by status, as our codes. */
function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'malformed_request';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 422:
      return 'unprocessable';
    case 429:
      return 'rate_limited';
    case 503:
      return 'service_unavailable';
    default:
      return status >= 500 ? 'internal_error' : 'malformed_request';
  }
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
}

/**
 * PostgreSQL or Redis out of reach: the request fails cleanly with 503 and
 * the pools reconnect by themselves (quality.md, "Reliability"). PostgreSQL
 * codes: class 08 (connection exception), 57P0x (shutdown, cannot connect
 * now), 53300 (too many connections).
 */
function isUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  const code = e?.code ?? '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '53300'].includes(code)) return true;
  if (/^08...$/.test(code) || /^57P0\d$/.test(code)) return true;
  return /Connection terminated|ECONNREFUSED|Connection is closed|timeout exceeded when trying to connect|not currently accepting connections|Stream isn't writeable/i.test(
    e?.message ?? '',
  );
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  [extension: string]: unknown;
}

export function toProblem(exception: unknown): Problem {
  if (exception instanceof DomainError) {
    const status = statusOf(exception.code);
    return problem(status, exception.code, exception.detail, exception.extra);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = codeForStatus(status);
    const detail = status === 404 ? 'No such resource' : exception.message;
    const response = exception.getResponse() as { details?: unknown };
    if (status === 503 && typeof response === 'object' && response.details) {
      // Terminus' readiness report: say which dependency is down.
      return problem(503, 'service_unavailable', 'A dependency is not ready', { checks: response.details });
    }
    return problem(status, code, status >= 500 ? 'Unexpected error' : detail);
  }
  const fastifyError = exception as FastifyLikeError;
  if (typeof fastifyError?.code === 'string' && fastifyError.code.startsWith('FST_')) {
    const status = fastifyError.statusCode ?? 500;
    const detail =
      fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? 'The body is not valid JSON'
        : status === 413
          ? 'The body is larger than 1 MiB'
          : status === 415
            ? 'Unsupported content type; send application/json'
            : 'The request could not be read';
    return problem(status, codeForStatus(status), detail);
  }
  if (exception instanceof SyntaxError && (exception as FastifyLikeError).statusCode === 400) {
    return problem(400, 'malformed_request', 'The body is not valid JSON');
  }
  if (isUnavailable(exception) || (exception instanceof QueryFailedError && isUnavailable(exception.driverError))) {
    return problem(503, 'service_unavailable', 'A backing service is unavailable; try again shortly');
  }
  return problem(500, 'internal_error', 'Unexpected error');
}

function problem(status: number, code: ErrorCode, detail: string, extra: Record<string, unknown> = {}): Problem {
  // Extension members never override the standard ones.
  return {
    ...extra,
    type: `https://tsunagu.example/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
  };
}

/**
 * What an operator needs to find the fault, without the message itself: a
 * database error's message or detail can quote the values of a child's
 * record (quality.md: no PII in logs). The stack's frames stay; its first
 * line, which repeats the message, goes.
 */
function loggable(exception: unknown) {
  const err = exception as
    (Error & { code?: string; driverError?: { code?: string; constraint?: string; table?: string } }) | undefined;
  return {
    name: err?.name,
    code: err?.driverError?.code ?? err?.code,
    constraint: err?.driverError?.constraint,
    table: err?.driverError?.table,
    stack: err?.stack?.split('\n').slice(1).join('\n'),
  };
}

/**
 * The one place where errors become HTTP responses (api.md, "Errors"). No
 * stack, SQL or internal name reaches the client; unexpected errors are
 * logged with the request id so an operator can find them.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const body = toProblem(exception);
    if (body.status >= 500) {
      this.logger.error({ err: loggable(exception), reqId: request?.id }, 'request failed');
    }
    void sendProblem(reply, body);
  }
}

/**
 * Sends a problem as application/problem+json (also used outside Nest's
 * filter: router errors, the queue dashboard). A 429 says when to come back
 * (Retry-After): the lockout's own time, or the rate limit's window.
 */
export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  if (body.status === 429) {
    const throttled = reply.getHeader('retry-after-login');
    const seconds = Number(body.retryAfterSeconds ?? throttled ?? 60);
    void reply.header('retry-after', String(Math.max(1, Math.ceil(seconds))));
  }
  return reply
    .status(body.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(JSON.stringify(body));
}
