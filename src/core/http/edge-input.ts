import { DomainError, FieldError } from '../errors/domain-error';

/**
 * No request needs JSON nested deeper than this (an intake is four levels:
 * body, household, members[], member). Deeper input is refused before
 * class-transformer recurses into it.
 */
export const MAX_INPUT_DEPTH = 16;

/**
 * Text PostgreSQL cannot store or compare faithfully: NUL (text columns refuse
 * it, a 500 deep in a query) and lone UTF-16 surrogates (stored as U+FFFD, so
 * what was stored differs from what the client sent and was echoed back).
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function badText(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must not contain unpaired surrogates (invalid Unicode)';
  return null;
}

function join(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

function walk(value: unknown, field: string, depth: number, errors: FieldError[]): void {
  if (typeof value === 'string') {
    const message = badText(value);
    if (message) errors.push({ field, code: 'invalid_text', message });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_INPUT_DEPTH) {
    errors.push({
      field,
      code: 'too_deep',
      message: `is nested deeper than ${MAX_INPUT_DEPTH} levels`,
      params: { max: MAX_INPUT_DEPTH },
    });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, join(field, i), depth + 1, errors));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyMessage = badText(key);
    if (keyMessage)
      errors.push({
        field: join(field, key.replaceAll('\u0000', '\\u0000')),
        code: 'invalid_text',
        message: keyMessage,
      });
    else walk(item, join(field, key), depth + 1, errors);
  }
}

/**
 * Checks every string a request carries (body, query, path parameters), once
 * and for all routes, before any guard, pipe or query sees it (issue 11,
 * item 10): a 400 naming the fields, instead of a 500 or a silent change.
 */
export function checkEdgeInput(parts: { body?: unknown; query?: unknown; params?: unknown }): void {
  const errors: FieldError[] = [];
  walk(parts.params, '', 0, errors);
  walk(parts.query, '', 0, errors);
  walk(parts.body, '', 0, errors);
  if (errors.length > 0) throw DomainError.validation(errors);
}
