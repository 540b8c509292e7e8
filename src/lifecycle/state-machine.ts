import type { Permission } from '../access/matrix';
import { allows, Actor } from '../access/policy';
import { DomainError } from '../core/errors/domain-error';

/**
 * One row of a lifecycle table (style.md, "state machines as data"):
 * from which states an action leads where, and which permission of the
 * access matrix it needs. Cases and referrals both use this.
 */
export interface TransitionRule<S extends string, A extends string, R> {
  action: A;
  from: readonly S[];
  /** The next state, or how to find it from the record (rejecting a closure goes back). */
  to: S | ((record: R) => S);
  permission: Permission;
}

export interface AppliedTransition<S extends string, A extends string> {
  action: A;
  from: S;
  to: S;
}

export class StateMachine<S extends string, A extends string, R extends { status: S }> {
  constructor(
    private readonly rules: readonly TransitionRule<S, A, R>[],
    /** The record as the access policy sees it (its access shape). */
    private readonly accessShape: (record: R) => object,
  ) {}

  /** Actions that lead somewhere from this state and that this actor may take on this record. */
  allowedActions(record: R, actor: Pick<Actor, 'ability'>): A[] {
    return this.rules
      .filter((r) => r.from.includes(record.status) && allows(actor, r.permission, this.accessShape(record)))
      .map((r) => r.action);
  }

  /**
   * Decides a transition: an action that does not lead anywhere from the
   * current state is a 409 listing the allowed ones; one the actor may not
   * take on this record is a 403. The caller writes the change and its event
   * in one transaction.
   */
  decide(record: R, action: A, actor: Pick<Actor, 'ability'>): AppliedTransition<S, A> {
    const rule = this.rules.find((r) => r.action === action && r.from.includes(record.status));
    if (!rule) {
      throw new DomainError(
        'illegal_transition',
        `"${action}" is not possible while the status is "${record.status}"`,
        {
          status: record.status,
          allowedActions: this.allowedActions(record, actor),
        },
      );
    }
    if (!allows(actor, rule.permission, this.accessShape(record))) {
      throw DomainError.forbidden(`Your role may not "${action}" here`);
    }
    return { action, from: record.status, to: typeof rule.to === 'function' ? rule.to(record) : rule.to };
  }

  /** The table itself, for documentation and tests. */
  table(): readonly TransitionRule<S, A, R>[] {
    return this.rules;
  }
}
