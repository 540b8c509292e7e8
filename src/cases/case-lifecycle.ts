import type { CaseAction, CaseStatus, ClosureReason } from '../codes/code-lists';
import { DomainError } from '../core/errors/domain-error';
import type { Case } from './case.entity';
import { StateMachine, TransitionRule } from '../lifecycle/state-machine';

/** The actions and their labels live with the other code lists (`/code-lists`: `caseActions`). */
export { CASE_ACTIONS, type CaseAction } from '../codes/code-lists';

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
type CaseRule = TransitionRule<CaseStatus, CaseAction, Case, CaseTransitionInput>;

/** What the caller sends with a case transition. */
export type CaseTransitionInput = { reason?: string; closureReason?: ClosureReason };

const requireReason =
  (action: CaseAction): CaseRule['guard'] =>
  (_c, { input }) => {
    if (!input.reason) throw DomainError.validation([{ field: 'reason', message: `is required to ${action}` }]);
  };

const RULES: CaseRule[] = [
  {
    action: 'accept',
    from: ['intake'],
    to: 'assessment',
    permission: 'case.triage',
    guard: (c) => {
      if (!c.districtId) {
        throw new DomainError(
          'unprocessable',
          'Assign a district before accepting the case (PUT /cases/{id}/assignment)',
        );
      }
    },
    effect: (c, { now }) => {
      c.acceptedAt = now;
    },
  },
  {
    action: 'reject',
    from: ['intake'],
    to: 'closed',
    permission: 'case.triage',
    guard: requireReason('reject'),
    effect: (c, { now }) => {
      c.closureReason = 'other';
      c.closedAt = now;
    },
  },
  { action: 'start_support', from: ['assessment'], to: 'active', permission: 'case.progress' },
  { action: 'monitor', from: ['active'], to: 'monitoring', permission: 'case.progress' },
  { action: 'resume', from: ['monitoring'], to: 'active', permission: 'case.progress' },
  {
    action: 'request_closure',
    from: ['assessment', 'active', 'monitoring'],
    to: 'closure_requested',
    permission: 'case.progress',
    guard: (_c, { input }) => {
      if (!input.closureReason)
        throw DomainError.validation([{ field: 'closureReason', message: 'is required to request closure' }]);
    },
    effect: (c, { input }) => {
      c.statusBeforeClosureRequest = c.status;
      c.closureReason = input.closureReason ?? null;
    },
  },
  {
    action: 'approve_closure',
    from: ['closure_requested'],
    to: 'closed',
    permission: 'case.close',
    effect: (c, { input, now }) => {
      c.closureReason = input.closureReason ?? c.closureReason;
      c.closedAt = now;
    },
  },
  {
    action: 'reject_closure',
    from: ['closure_requested'],
    to: (c) => c.statusBeforeClosureRequest ?? 'active',
    permission: 'case.close',
    effect: (c) => {
      c.closureReason = null;
      c.statusBeforeClosureRequest = null;
    },
  },
  {
    action: 'reopen',
    from: ['closed'],
    to: 'assessment',
    permission: 'case.close',
    guard: requireReason('reopen'),
    effect: (c) => {
      c.closedAt = null;
      c.closureReason = null;
      c.statusBeforeClosureRequest = null;
    },
  },
];

/** The access shape of a case (src/access/matrix.ts). */
export const caseAccess = (c: Pick<CaseState, 'districtId' | 'confidential' | 'assigneeIds' | 'hasReferral'>) => ({
  districtId: c.districtId,
  confidential: c.confidential,
  assigneeIds: c.assigneeIds,
  hasReferral: c.hasReferral,
});

export const caseLifecycle = new StateMachine<CaseStatus, CaseAction, Case, CaseTransitionInput>(RULES, caseAccess);
