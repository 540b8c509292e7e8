import type { EntityManager } from 'typeorm';
import { CaseEvent } from './case-event.entity';

/** A line for a case's timeline; its id and time are the database's. */
export type NewCaseEvent = Pick<CaseEvent, 'caseId' | 'actorId' | 'kind'> &
  Partial<Pick<CaseEvent, 'action' | 'fromStatus' | 'toStatus' | 'reason' | 'details'>>;

/**
 * The one way another module adds to a case's timeline (case_events is the
 * cases module's table): a safety check that did not see the child, a rule
 * task postponed or cancelled, a move. In the caller's transaction; answers
 * the stored line.
 */
export function recordCaseEvent(m: EntityManager, event: NewCaseEvent): Promise<CaseEvent> {
  const events = m.getRepository(CaseEvent);
  return events.save(events.create(event));
}
