import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsOmittable } from './validators';
import { DomainError } from '../errors/domain-error';

/** `limit` (1 to 100, default 20) and an opaque `cursor` (api.md, "Lists"). */
export class ListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is not a cursor this API issued' })
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A position in a keyset order: the sort values of the last row seen. */
export type CursorKey = (string | number | null)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** What each position of a cursor holds; a cursor is checked against it before any query sees it. */
export type CursorPart = 'instant' | 'uuid' | 'integer' | 'text';

const BIGINT_MAX = 9223372036854775807n;

const PART_CHECK: Record<CursorPart, (v: unknown) => boolean> = {
  instant: (v) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  // A PostgreSQL bigint: 19 digits may still exceed it.
  integer: (v) => typeof v === 'string' && /^\d{1,19}$/.test(v) && BigInt(v) <= BIGINT_MAX,
  text: (v) => typeof v === 'string' && v.length <= 500,
};

/** Decodes a cursor this API issued; anything else (a forged or truncated one) is a 400. */
export function decodeCursor(cursor: string | undefined, parts: CursorPart[]): CursorKey | null {
  if (!cursor) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === parts.length && parts.every((part, i) => PART_CHECK[part](key[i]))) {
      return key as CursorKey;
    }
  } catch {
    // fall through
  }
  throw DomainError.validation([{ field: 'cursor', message: 'cursor is not a cursor this API issued' }]);
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only tells that
 * there is a next page, whose cursor is the key of the last row returned.
 */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => CursorKey, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

export const limitOf = (query: ListQuery) => query.limit ?? 20;
