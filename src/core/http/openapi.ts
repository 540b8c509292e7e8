import { applyDecorators, HttpStatus, type Type } from '@nestjs/common';
import {
  ApiExtension,
  ApiExtraModels,
  ApiHeader,
  ApiProperty,
  ApiResponse,
  getSchemaPath,
  type OpenAPIObject,
} from '@nestjs/swagger';
import { ERROR_CODES } from '../errors/domain-error';

/*
 * How an endpoint declares its contract (api.md: the OpenAPI document is the
 * full truth). Each operation says its success answer with one of
 * `ApiResult`, `ApiPage` or `ApiNoContent`, the domain errors only it can
 * answer with `ApiProblems`, and `ApiIfMatch` / `ApiIdempotencyKey` when it
 * reads those headers. `completeDocument` adds what follows from the
 * operation's shape (401/403 when it needs a login, 404 when it has a path
 * id, 400 when it takes input, 503 everywhere, ...) so that no controller
 * repeats it.
 */

const PROBLEM = 'Problem';
const PROBLEMS_EXTENSION = 'x-tsunagu-problems';

/** One class, or any of several (what a role may see decides which): `oneOf`. */
const schemaOf = (types: Type | Type[]) =>
  Array.isArray(types) ? { oneOf: types.map((t) => ({ $ref: getSchemaPath(t) })) } : { $ref: getSchemaPath(types) };
const modelsOf = (types: Type | Type[]) => ApiExtraModels(...(Array.isArray(types) ? types : [types]));

/** The success answer: the class the handler returns (status 200 unless said; 201 for a create). */
export function ApiResult(type: Type | Type[], options: { status?: number; description?: string } = {}) {
  return applyDecorators(
    modelsOf(type),
    ApiResponse({
      status: options.status ?? HttpStatus.OK,
      description: options.description ?? 'Success',
      schema: schemaOf(type),
    }),
  );
}

/** A list page (api.md, "Lists"): `{ items, nextCursor }`. */
export function ApiPage(item: Type | Type[], options: { description?: string } = {}) {
  return applyDecorators(
    modelsOf(item),
    ApiResponse({
      status: HttpStatus.OK,
      description: options.description ?? 'One page; `nextCursor` is null on the last one',
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: schemaOf(item) },
          nextCursor: { type: 'string', nullable: true, description: 'Pass as `cursor` for the next page' },
        },
      },
    }),
  );
}

export const ApiNoContent = (description = 'Done') => ApiResponse({ status: HttpStatus.NO_CONTENT, description });

/**
 * The problem statuses only this operation can answer (a domain 409, a 422,
 * a 429); those every operation of its shape can answer are added for it.
 */
export const ApiProblems = (...statuses: number[]) =>
  // One extension key per use: swagger keeps the first value of a repeated key.
  ApiExtension(`${PROBLEMS_EXTENSION}-${statuses.join('-')}`, statuses);

/** The operation reads If-Match (api.md, "Concurrency"): a stale version is a 409, none at all a 428. */
export const ApiIfMatch = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The version you edited, as the ETag said: `"3"`. Or send `version` in the body.',
      schema: { type: 'string', example: '"3"' },
    }),
    ApiProblems(409, 428),
  );

/** The operation honours Idempotency-Key (api.md, "Idempotency"): the same key with another body is a 422. */
export const ApiIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'A repeat with the same key and body within 24 h answers the first response again (with `Idempotent-Replayed: true`)',
      schema: { type: 'string', minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' },
    }),
    ApiProblems(422),
  );

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (`validation_failed` with field errors, or `malformed_request`)',
  401: 'Not logged in, or the token expired (`unauthenticated`)',
  403: 'The role does not allow this, or the password must be changed first (`forbidden`, `password_change_required`)',
  404: 'No such record, or not in your scope (`not_found`)',
  409: 'Conflict: a stale version (`version_conflict`), a state that does not allow it (`illegal_transition`), a likely duplicate (`possible_duplicate`) or another conflict (`conflict`)',
  413: 'The body is larger than 1 MiB (`payload_too_large`)',
  422: 'Understood but refused (`idempotency_key_reused`, `consent_required`, `unprocessable`)',
  428: 'If-Match (or `version` in the body) is required (`precondition_required`)',
  429: 'Too many attempts; try later (`rate_limited`)',
  503: 'PostgreSQL or Redis is unavailable; try again shortly (`service_unavailable`)',
};

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** The problem+json body (api.md, "Errors"), as `toProblem` writes it. */
const problemSchema: NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string] = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    code: { type: 'string', enum: [...ERROR_CODES] },
    errors: {
      type: 'array',
      description: 'Field errors of a `validation_failed`',
      items: {
        type: 'object',
        required: ['field', 'code', 'message'],
        properties: {
          field: { type: 'string', example: 'subject.familyNameKana' },
          code: { type: 'string', description: 'Machine-readable rule, e.g. `max_length`', example: 'max_length' },
          message: { type: 'string', description: 'English; translate by `code`' },
          params: { type: 'object', additionalProperties: true, description: 'The rule’s bounds, e.g. `{ max: 50 }`' },
        },
      },
    },
    allowedActions: {
      type: 'array',
      items: { type: 'string' },
      description: 'With `illegal_transition`: the actions the record allows now',
    },
    currentVersion: { type: 'integer', description: 'With `version_conflict`: the record’s version now' },
    candidates: {
      type: 'array' as const,
      description:
        'With `possible_duplicate`: the likely duplicates. One the caller may read is named (send its `caseId`); ' +
        'any other is only an opaque `matchToken` (send it as `matchToken`: the consultation is added and the answer ' +
        'is ids only; usable by the user it was given to, for 30 minutes)',
      items: {
        oneOf: [
          {
            type: 'object' as const,
            required: ['caseId', 'caseNumber', 'districtId', 'status'],
            properties: {
              caseId: { type: 'string' as const, format: 'uuid' },
              caseNumber: { type: 'string' as const, example: '2026-0043' },
              districtId: { type: 'string' as const, format: 'uuid', nullable: true },
              status: { type: 'string' as const, example: 'intake' },
            },
          },
          {
            type: 'object' as const,
            required: ['matchToken'],
            properties: { matchToken: { type: 'string' as const } },
          },
        ],
      },
    },
  },
  additionalProperties: true,
};

type Operation = {
  parameters?: { in: string; name: string; schema?: Record<string, unknown> }[];
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: unknown; headers?: Record<string, unknown> }>;
  security?: unknown[];
  [extension: string]: unknown;
};

/**
 * Finishes the generated document: the problem schema and the error answers
 * each operation can give, `security: []` on public routes, uuid formats on
 * path ids, and the ETag header on answers that carry a `version`.
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components ??= {}).schemas ?? {};
  document.components.schemas = { ...schemas, [PROBLEM]: problemSchema };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (op) completeOperation(op, schemas);
    }
  }
  return document;
}

function completeOperation(op: Operation, schemas: Record<string, unknown>): void {
  // A route that needs a login says so with @ApiBearerAuth(); any other is public.
  const isPublic = !op.security?.length;
  if (isPublic) op.security = [];
  const own: number[] = [];
  for (const key of Object.keys(op).filter((k) => k.startsWith(PROBLEMS_EXTENSION))) {
    own.push(...(op[key] as number[]));
    delete op[key];
  }

  const params = op.parameters ?? [];
  for (const p of params) {
    // Every id is a UUID (api.md, "Ids"); the uuid pipe refuses anything else with a 400.
    if (p.in === 'path' && (p.name === 'id' || p.name.endsWith('Id'))) p.schema = { type: 'string', format: 'uuid' };
  }
  const statuses = new Set<number>(own);
  if (!isPublic) [401, 403].forEach((s) => statuses.add(s));
  if (params.some((p) => p.in === 'path')) [400, 404].forEach((s) => statuses.add(s));
  if (op.requestBody || params.some((p) => p.in === 'query' || p.in === 'header')) statuses.add(400);
  if (op.requestBody) statuses.add(413);
  statuses.add(503);
  for (const status of statuses) op.responses[status] ??= { description: DESCRIPTIONS[status] ?? 'Error' };
  for (const [status, response] of Object.entries(op.responses)) {
    // Every error leaves through the problem filter, whatever a library's decorator said.
    if (/^[45]/.test(status)) {
      response.content = { 'application/problem+json': { schema: { $ref: `#/components/schemas/${PROBLEM}` } } };
    }
  }

  for (const [status, response] of Object.entries(op.responses)) {
    if (!status.startsWith('2') || !carriesVersion(response.content, schemas)) continue;
    response.headers = {
      ...response.headers,
      ETag: {
        description: 'The record’s version, for If-Match: `"3"` (sent when the answer has a `version`)',
        schema: { type: 'string' },
      },
    };
  }
}

/** True when a JSON answer is a named record with a `version` (or may be one, of a `oneOf`): those send an ETag. */
function carriesVersion(content: unknown, schemas: Record<string, unknown>): boolean {
  type Ref = { $ref?: string };
  const schema = (content as { 'application/json'?: { schema?: Ref & { oneOf?: Ref[] } } } | undefined)?.[
    'application/json'
  ]?.schema;
  const refs = schema?.oneOf ?? (schema ? [schema] : []);
  return refs.some((r) => {
    const named = r.$ref ? (schemas[r.$ref.split('/').pop()!] as { properties?: Record<string, unknown> }) : undefined;
    return named?.properties?.version !== undefined;
  });
}

/** Property shorthands for response classes: ids are UUIDs, times ISO 8601 UTC, dates YYYY-MM-DD (api.md). */
export const ApiUuid = (options: { nullable?: boolean; description?: string } = {}) =>
  ApiProperty({ type: String, format: 'uuid', ...options });
export const ApiUuids = (description?: string) =>
  ApiProperty({ type: String, format: 'uuid', isArray: true, description });
export const ApiDateTime = (options: { nullable?: boolean; description?: string } = {}) =>
  ApiProperty({ type: String, format: 'date-time', ...options });
export const ApiDate = (options: { nullable?: boolean; description?: string } = {}) =>
  ApiProperty({ type: String, format: 'date', ...options });
/** A code of a code list (`/code-lists`), by the list's codes. */
export const ApiCode = (
  codes: readonly string[],
  options: { nullable?: boolean; isArray?: boolean; description?: string } = {},
) => ApiProperty({ type: String, enum: [...codes], ...options });
