import type { PlanAction, PlanStatus } from '../codes/code-lists';
import { StateMachine, TransitionRule } from '../lifecycle/state-machine';
import { caseAccess, CaseState } from '../cases/case-lifecycle';

/** The actions and their labels live with the other code lists (`/code-lists`: `planActions`). */
export { PLAN_ACTIONS, type PlanAction } from '../codes/code-lists';

/** What the lifecycle needs of a plan version: its status and its case's access shape. */
export interface PlanState extends Pick<CaseState, 'districtId' | 'confidential' | 'assigneeIds' | 'hasReferral'> {
  status: PlanStatus;
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
const RULES: TransitionRule<PlanStatus, PlanAction, PlanState>[] = [
  { action: 'submit', from: ['draft'], to: 'submitted', permission: 'case.edit' },
  { action: 'approve', from: ['submitted'], to: 'approved', permission: 'plan.approve' },
  { action: 'return', from: ['submitted'], to: 'draft', permission: 'plan.approve' },
];

export const planLifecycle = new StateMachine<PlanStatus, PlanAction, PlanState>(RULES, caseAccess);
