import type { Actor } from '../access/policy';
import type { Case } from './case.entity';
import type { Consultation } from './consultation.entity';

/*
 * What the cases module tells the others, inside the transaction of the
 * change (src/core/events). Handlers: search for @OnDomainEvent(<class>).
 */

/**
 * How a consultation came in: the intake record of a new case, an intake
 * (POST /intakes) on an existing case, or a later contact on the case (a
 * follow-up home visit, a call back). The first two are new reports.
 */
export type ConsultationArrival = 'new_case' | 'intake' | 'contact';

/** A consultation was recorded on a case (a new abuse report starts the 48-hour rule). */
export class ConsultationRecorded {
  static readonly type = 'consultation.recorded';
  constructor(
    readonly actor: Actor,
    readonly caseRecord: Case,
    readonly consultation: Consultation,
    readonly arrival: ConsultationArrival,
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

/** A supervisor set a case's district and counselors (the newly assigned are told; work follows the primary). */
export class CaseAssigned {
  static readonly type = 'case.assigned';
  constructor(
    readonly actor: Actor,
    readonly caseRecord: Case,
    /** Counselors assigned now who were not before. */
    readonly newAssignees: string[],
    /** The primary counselor before the change. */
    readonly previousPrimaryCounselorId: string | null,
    /** The case event of the assignment, for the notification key. */
    readonly eventId: string,
  ) {}
}
