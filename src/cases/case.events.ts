import type { Actor } from '../access/policy';
import type { Case } from './case.entity';
import type { Consultation } from './consultation.entity';

/*
 * What the cases module tells the others, inside the transaction of the
 * change (src/core/events). Handlers: search for @OnDomainEvent(<class>).
 */

/** A consultation was recorded on a case (the 48-hour rule starts on abuse). */
export class ConsultationRecorded {
  static readonly type = 'consultation.recorded';
  constructor(
    readonly actor: Actor,
    readonly caseRecord: Case,
    readonly consultation: Consultation,
  ) {}
}

/** A case's details, status or assignment changed (progress reviews follow its state). */
export class CaseChanged {
  static readonly type = 'case.changed';
  constructor(
    readonly actor: Actor,
    readonly caseRecord: Case,
  ) {}
}

/** Counselors were newly assigned to a case (they are told). */
export class CaseAssigned {
  static readonly type = 'case.assigned';
  constructor(
    readonly actor: Actor,
    readonly caseRecord: Case,
    readonly newAssignees: string[],
    /** The case event of the assignment, for the notification key. */
    readonly eventId: string,
  ) {}
}
