import type { EntityManager } from 'typeorm';
import type { Actor } from '../access/policy';
import type { Case } from './case.entity';
import type { Consultation } from './consultation.entity';

/**
 * What the follow-up rules need to hear from the cases module, inside the
 * transaction of the change (so a rule's task commits with it, or neither
 * does). The tasks module provides the implementation; the cases module
 * depends only on this.
 */
export abstract class CaseHooks {
  /** A consultation was recorded (the 48-hour rule starts on abuse). */
  abstract consultationRecorded(m: EntityManager, actor: Actor, c: Case, consultation: Consultation): Promise<void>;

  /** Status, registration or assignment changed (progress reviews; notify new assignees). */
  abstract caseChanged(m: EntityManager, actor: Actor, c: Case, change: CaseChange): Promise<void>;
}

export interface CaseChange {
  /** Users newly assigned to the case. */
  newAssignees?: string[];
  /** The case event this change wrote, for notification keys. */
  eventId?: string;
}
