import type { ReferralAction, ReferralStatus } from '../codes/code-lists';
import { StateMachine, TransitionRule } from '../lifecycle/state-machine';
import type { CaseState } from '../cases/case-lifecycle';
import { caseAccess } from '../cases/case-lifecycle';
import type { Organization } from '../directory/organization.entity';
import { checkLegalBasis } from './legal-basis';
import type { Referral } from './referral.entity';

/** The actions and their labels live with the other code lists (`/code-lists`: `referralActions`). */
export { REFERRAL_ACTIONS, type ReferralAction } from '../codes/code-lists';

/**
 * A referral in a transition: the referral itself, its case (whose access
 * shape the permissions read) and its organization (whose council membership
 * the consent check reads). `status` is the referral's.
 */
export interface ReferralState {
  status: ReferralStatus;
  case: Pick<CaseState, 'districtId' | 'confidential' | 'assigneeIds' | 'hasReferral'>;
}

export interface ReferralSubject extends ReferralState {
  referral: Referral;
  organization: Pick<Organization, 'councilMember' | 'name'>;
}

export function referralSubject(
  referral: Referral,
  c: ReferralState['case'],
  organization: ReferralSubject['organization'],
): ReferralSubject {
  return {
    referral,
    case: caseAccess(c),
    organization,
    get status() {
      return referral.status;
    },
    set status(next: ReferralStatus) {
      referral.status = next;
    },
  };
}

/** What the caller sends with a referral transition, and the deadline policy (from configuration). */
export interface ReferralTransitionInput {
  note?: string;
  responseDueDateOf: (r: Referral, sentAt: Date) => Date;
}

type ReferralRule = TransitionRule<ReferralStatus, ReferralAction, ReferralSubject, ReferralTransitionInput>;

const answered: ReferralRule['effect'] = ({ referral }, { now }) => {
  referral.respondedAt = now;
};
const closed: ReferralRule['effect'] = ({ referral }, { now }) => {
  referral.closedAt = now;
};

/**
 * The referral lifecycle of domain.md, on the same mechanism as the case's:
 *
 *   draft ──send──▶ sent ──accept──▶ accepted ──start──▶ in_progress ──complete──▶ completed
 *                     └──decline──▶ declined
 *   draft | sent | accepted | in_progress ──withdraw──▶ withdrawn
 */
const RULES: ReferralRule[] = [
  {
    action: 'send',
    from: ['draft'],
    to: 'sent',
    permission: 'referral.transition',
    // Consent is checked again when the information actually leaves.
    guard: ({ referral, organization }) => checkLegalBasis(referral.direction, referral.legalBasis, organization),
    effect: ({ referral }, { actor, input, now }) => {
      referral.sentAt = now;
      referral.sentBy = actor.userId;
      referral.responseDueAt = input.responseDueDateOf(referral, now);
    },
  },
  { action: 'accept', from: ['sent'], to: 'accepted', permission: 'referral.transition', effect: answered },
  {
    action: 'decline',
    from: ['sent'],
    to: 'declined',
    permission: 'referral.transition',
    effect: (r, ctx) => {
      answered(r, ctx);
      closed(r, ctx);
    },
  },
  { action: 'start', from: ['accepted'], to: 'in_progress', permission: 'referral.transition' },
  { action: 'complete', from: ['in_progress'], to: 'completed', permission: 'referral.transition', effect: closed },
  {
    action: 'withdraw',
    from: ['draft', 'sent', 'accepted', 'in_progress'],
    to: 'withdrawn',
    permission: 'referral.transition',
    effect: closed,
  },
];

export const referralAccess = (r: ReferralState) => ({ case: r.case });

export const referralLifecycle = new StateMachine<
  ReferralStatus,
  ReferralAction,
  ReferralSubject,
  ReferralTransitionInput
>(RULES, referralAccess);
