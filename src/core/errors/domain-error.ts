/**
 * Every error a client can see has one of these stable codes (api.md,
 * "Errors"). Adding a code here without mapping it in `statusOf` fails the
 * build, so a new code cannot silently become a 500.
 */
export const ERROR_CODES = [
  'validation_failed',
  'malformed_request',
  'payload_too_large',
  'unsupported_media_type',
  'unauthenticated',
  'forbidden',
  'password_change_required',
  'not_found',
  'method_not_allowed',
  'version_conflict',
  'precondition_required',
  'illegal_transition',
  'possible_duplicate',
  'conflict',
  'idempotency_key_reused',
  'consent_required',
  'unprocessable',
  'rate_limited',
  'service_unavailable',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'validation_failed':
    case 'malformed_request':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
    case 'password_change_required':
      return 403;
    case 'not_found':
      return 404;
    case 'method_not_allowed':
      return 405;
    case 'version_conflict':
    case 'illegal_transition':
    case 'possible_duplicate':
    case 'conflict':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'precondition_required':
      return 428;
    case 'idempotency_key_reused':
    case 'consent_required':
    case 'unprocessable':
      return 422;
    case 'rate_limited':
      return 429;
    case 'service_unavailable':
      return 503;
    case 'internal_error':
      return 500;
    default: {
      const unmapped: never = code;
      throw new Error(`unmapped error code ${String(unmapped)}`);
    }
  }
}

/**
 * One invalid field: `code` is the rule it broke (`max_length`, `one_of`,
 * ...), stable for a client to translate; `params` the rule's bounds
 * (`{ max: 50 }`); `message` says it in English. A service that names no
 * code sends `invalid`; name one whenever a client could say it better.
 */
export interface FieldError {
  field: string;
  code?: string;
  message: string;
  params?: Record<string, unknown>;
}

/**
 * A rule of the domain said no. Services throw these; the problem filter
 * turns them into application/problem+json. `extra` carries the documented
 * extension members (allowedActions, candidates, ...), never internals.
 */
export class DomainError extends Error {
  readonly extra: { errors?: FieldError[] } & Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    extra: { errors?: FieldError[] } & Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'DomainError';
    // Every field error on the wire has a rule code.
    this.extra = extra.errors
      ? { ...extra, errors: extra.errors.map((e) => ({ ...e, code: e.code ?? 'invalid' })) }
      : extra;
  }

  static notFound(what: string): DomainError {
    return new DomainError('not_found', `${what} not found`);
  }

  static forbidden(detail = 'Your role does not allow this action'): DomainError {
    return new DomainError('forbidden', detail);
  }

  static validation(errors: FieldError[]): DomainError {
    return new DomainError('validation_failed', 'The request has invalid fields', { errors });
  }
}
