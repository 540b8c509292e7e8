import { ApiProperty } from '@nestjs/swagger';
import { EntityManager } from 'typeorm';
import type { Actor } from '../access/policy';
import { scopedToCases } from './case-records';
import { Case } from './case.entity';

/** A sibling's case beside this one: its number and status (issue 13). */
export class SiblingCase {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2026-0043' }) number!: string;
  @ApiProperty() status!: string;
}

/**
 * The other cases of the same household (a sibling's, domain.md: the two
 * cases share the household), oldest first, only those the actor may read:
 * a sibling's case in another district stays out of sight.
 */
export async function siblingCases(m: EntityManager, actor: Actor, c: Case): Promise<SiblingCase[]> {
  const rows = await m
    .getRepository(Case)
    .createQueryBuilder('c')
    .select(['c.id', 'c.number', 'c.status'])
    .where('c.household_id = :householdId AND c.id <> :id', { householdId: c.householdId, id: c.id })
    .andWhere(scopedToCases(actor, 'case.read'))
    .orderBy('c.opened_at')
    .addOrderBy('c.id')
    .getMany();
  return rows.map((r) => ({ id: r.id, number: r.number, status: r.status }));
}
