import type { CaseStatus } from '../codes/code-lists';
import { StateMachine, TransitionRule } from '../lifecycle/state-machine';

export const CASE_ACTIONS = [
  'accept',
  'reject',
  'start_support',
  'monitor',
  'resume',
  'request_closure',
  'approve_closure',
  'reject_closure',
  'reopen',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** What the lifecycle needs to know of a case. */
export interface CaseState {
  status: CaseStatus;
  statusBeforeClosureRequest: CaseStatus | null;
  districtId: string | null;
  confidential: boolean;
  assigneeIds: string[];
  hasReferral: boolean;
}

/**
 * The case lifecycle of domain.md, as a table:
 *
 *   intake ──accept──▶ assessment ──▶ active ◀──▶ monitoring
 *   intake ──reject──▶ closed (a supervisor's decision at the intake meeting)
 *   assessment | active | monitoring ──request_closure──▶ closure_requested
 *   closure_requested ──approve_closure──▶ closed
 *   closure_requested ──reject_closure──▶ back where it was
 *   closed ──reopen──▶ assessment
 *
 * A case reaches `closed` only by a supervisor's action: there is no other row.
 */
const RULES: TransitionRule<CaseStatus, CaseAction, CaseState>[] = [
  { action: 'accept', from: ['intake'], to: 'assessment', permission: 'case.triage' },
  { action: 'reject', from: ['intake'], to: 'closed', permission: 'case.triage' },
  { action: 'start_support', from: ['assessment'], to: 'active', permission: 'case.progress' },
  { action: 'monitor', from: ['active'], to: 'monitoring', permission: 'case.progress' },
  { action: 'resume', from: ['monitoring'], to: 'active', permission: 'case.progress' },
  {
    action: 'request_closure',
    from: ['assessment', 'active', 'monitoring'],
    to: 'closure_requested',
    permission: 'case.progress',
  },
  { action: 'approve_closure', from: ['closure_requested'], to: 'closed', permission: 'case.close' },
  {
    action: 'reject_closure',
    from: ['closure_requested'],
    to: (c) => c.statusBeforeClosureRequest ?? 'active',
    permission: 'case.close',
  },
  { action: 'reopen', from: ['closed'], to: 'assessment', permission: 'case.close' },
];

/** The access shape of a case (src/access/matrix.ts). */
export const caseAccess = (c: Pick<CaseState, 'districtId' | 'confidential' | 'assigneeIds' | 'hasReferral'>) => ({
  districtId: c.districtId,
  confidential: c.confidential,
  assigneeIds: c.assigneeIds,
  hasReferral: c.hasReferral,
});

export const caseLifecycle = new StateMachine<CaseStatus, CaseAction, CaseState>(RULES, caseAccess);
