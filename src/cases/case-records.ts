import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Permission } from '../access/matrix';
import { Actor, authorize, FieldMap } from '../access/policy';
import { DomainError } from '../core/errors/domain-error';
import { caseAccess } from './case-lifecycle';
import { Case } from './case.entity';

/** How a case's access shape is found in SQL (alias `c` for cases). */
export const CASE_FIELDS: FieldMap = {
  districtId: { sql: 'c.district_id' },
  confidential: { sql: 'c.confidential' },
  assigneeIds: { sql: 'c.assignee_ids', array: 'uuid' },
  hasReferral: { sql: 'c.has_referral' },
};

/**
 * The one way the cases module fetches a case for an action: load it (locked
 * for writing when asked), then check the permission against the record. Out
 * of the actor's read scope is a 404, as if the case did not exist; a write
 * (`open`) to a closed case is a 409.
 */
@Injectable()
export class CaseRecords {
  async load(
    m: EntityManager,
    actor: Actor,
    id: string,
    permission: Permission,
    options: { lock?: boolean; open?: boolean } = {},
  ): Promise<Case> {
    const found = await m.getRepository(Case).findOne({
      where: { id },
      ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!found) throw DomainError.notFound('Case');
    authorize(actor, permission, caseAccess(found), readPermissionOf(actor), 'Case');
    if (options.open) assertOpen(found);
    return found;
  }
}

/** A closed case takes no writes but reopening (a transition of its own): 409 until a supervisor reopens it. */
export function assertOpen(c: Case): void {
  if (c.status === 'closed') {
    throw new DomainError('conflict', 'The case is closed; a supervisor can reopen it first');
  }
}

/** Staff read case headers; everyone else reads whole cases. */
export function readPermissionOf(actor: Pick<Actor, 'roles'>): Permission {
  return actor.roles.some((r) => r === 'counselor' || r === 'supervisor') ? 'case.read' : 'case.read_header';
}
