import type { CaseStatus, PlanAction, PlanStatus } from '../codes/code-lists';
import { DomainError } from '../core/errors/domain-error';
import { StateMachine, TransitionRule } from '../lifecycle/state-machine';
import { caseAccess, CaseState } from '../cases/case-lifecycle';

/** The actions and their labels live with the other code lists (`/code-lists`: `planActions`). */
export { PLAN_ACTIONS, type PlanAction } from '../codes/code-lists';

/** A plan is made (and approved) for a case the center has taken on and not closed. */
export const PLANNABLE: readonly CaseStatus[] = ['assessment', 'active', 'monitoring'];

/** What the lifecycle needs of a plan version: its status and its case's access shape. */
export interface PlanState extends Pick<CaseState, 'districtId' | 'confidential' | 'assigneeIds' | 'hasReferral'> {
  status: PlanStatus;
}

/** A stored plan version, as much of it as a transition reads. */
export interface PlanVersion {
  id: string;
  status: PlanStatus;
}

/**
 * A plan version in a transition: the version itself (`status` is its), and
 * its case, whose access shape the permissions read and whose status an
 * approval checks.
 */
export interface PlanSubject<P extends PlanVersion = PlanVersion> extends PlanState {
  plan: P;
  case: Pick<CaseState, 'status' | 'districtId' | 'confidential' | 'assigneeIds' | 'hasReferral'> & { id: string };
}

export function planSubject<P extends PlanVersion>(plan: P, c: PlanSubject['case']): PlanSubject<P> {
  return {
    plan,
    case: c,
    ...caseAccess(c),
    get status() {
      return plan.status;
    },
    set status(next: PlanStatus) {
      plan.status = next;
    },
  };
}

/** What the caller sends with a plan transition. */
export interface PlanTransitionInput {
  reason?: string;
}

/**
 * A support plan version's lifecycle (docs/domain.md, "Support plans"), a
 * gate like closure: whoever may edit the case submits, a supervisor of the
 * district approves or returns it.
 *
 *   draft ──submit──▶ submitted ──approve──▶ approved ──(a later version approved)──▶ superseded
 *                        └──return──▶ draft
 *
 * `superseded` is reached only by approving the next version, never by an action.
 */
const RULES: TransitionRule<PlanStatus, PlanAction, PlanSubject, PlanTransitionInput>[] = [
  { action: 'submit', from: ['draft'], to: 'submitted', permission: 'case.edit' },
  {
    action: 'approve',
    from: ['submitted'],
    to: 'approved',
    permission: 'plan.approve',
    guard: ({ case: c }) => {
      if (!PLANNABLE.includes(c.status)) {
        throw new DomainError('conflict', `The case is ${c.status}; a plan is approved for a case under support`);
      }
    },
  },
  { action: 'return', from: ['submitted'], to: 'draft', permission: 'plan.approve' },
];

export const planLifecycle = new StateMachine<PlanStatus, PlanAction, PlanSubject, PlanTransitionInput>(
  RULES,
  caseAccess,
);
