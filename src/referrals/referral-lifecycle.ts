import type { ReferralStatus } from '../codes/code-lists';
import { StateMachine, TransitionRule } from '../lifecycle/state-machine';
import type { CaseState } from '../cases/case-lifecycle';
import { caseAccess } from '../cases/case-lifecycle';

export const REFERRAL_ACTIONS = ['send', 'accept', 'decline', 'start', 'complete', 'withdraw'] as const;
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];

export interface ReferralState {
  status: ReferralStatus;
  case: Pick<CaseState, 'districtId' | 'confidential' | 'assigneeIds' | 'hasReferral'>;
}

/**
 * The referral lifecycle of domain.md, on the same mechanism as the case's:
 *
 *   draft ──send──▶ sent ──accept──▶ accepted ──start──▶ in_progress ──complete──▶ completed
 *                     └──decline──▶ declined
 *   draft | sent | accepted | in_progress ──withdraw──▶ withdrawn
 */
const RULES: TransitionRule<ReferralStatus, ReferralAction, ReferralState>[] = [
  { action: 'send', from: ['draft'], to: 'sent', permission: 'referral.transition' },
  { action: 'accept', from: ['sent'], to: 'accepted', permission: 'referral.transition' },
  { action: 'decline', from: ['sent'], to: 'declined', permission: 'referral.transition' },
  { action: 'start', from: ['accepted'], to: 'in_progress', permission: 'referral.transition' },
  { action: 'complete', from: ['in_progress'], to: 'completed', permission: 'referral.transition' },
  {
    action: 'withdraw',
    from: ['draft', 'sent', 'accepted', 'in_progress'],
    to: 'withdrawn',
    permission: 'referral.transition',
  },
];

export const referralAccess = (r: ReferralState) => ({ case: caseAccess(r.case) });

export const referralLifecycle = new StateMachine<ReferralStatus, ReferralAction, ReferralState>(RULES, referralAccess);
