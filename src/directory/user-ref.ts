import { ApiProperty } from '@nestjs/swagger';
import { EntityManager } from 'typeorm';

/**
 * A member of the center's staff as other records name them: the id and the
 * display name, so that a screen shows who without a second call per row
 * (issue 13). Only users: a child or a family member is never a UserRef.
 */
export class UserRef {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '山田 太郎' })
  displayName!: string;
}

/** The users with these ids, by id, in one query (unknown ids are left out). */
export async function userRefs(
  m: EntityManager,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, UserRef>> {
  const unique = [...new Set([...ids].filter((id): id is string => typeof id === 'string'))];
  if (unique.length === 0) return new Map();
  const rows = (await m.query(`SELECT id, display_name AS "displayName" FROM users WHERE id = ANY($1::uuid[])`, [
    unique,
  ])) as UserRef[];
  return new Map(rows.map((u) => [u.id, u]));
}

/**
 * A UserRef for an id from a map userRefs filled; null for no id. An id the
 * map lacks (no such user) keeps its id with an empty name, rather than
 * dropping the person from the answer.
 */
export function refOf(users: Map<string, UserRef>, id: string): UserRef;
export function refOf(users: Map<string, UserRef>, id: string | null): UserRef | null;
export function refOf(users: Map<string, UserRef>, id: string | null): UserRef | null {
  if (id === null) return null;
  return users.get(id) ?? { id, displayName: '' };
}
