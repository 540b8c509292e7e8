import type { EntityManager } from 'typeorm';
import type { Permission } from '../access/matrix';
import { allows, Actor } from '../access/policy';
import type { AuditEntry, AuditLog } from '../audit/audit.service';
import { DomainError } from '../core/errors/domain-error';

/** What a guard and an effect know: who acts, what they sent, and the one instant of the step. */
export interface TransitionContext<I> {
  actor: Actor;
  input: I;
  now: Date;
}

/**
 * One row of a lifecycle table (style.md, "state machines as data"): from
 * which states an action leads where, which permission of the access matrix
 * it needs, what else it requires (guard: throws a DomainError), and what
 * else it changes on the record (effect). Cases, referrals and support plans use this.
 */
export interface TransitionRule<S extends string, A extends string, R, I = unknown> {
  action: A;
  from: readonly S[];
  /** The next state, or how to find it from the record (rejecting a closure goes back). */
  to: S | ((record: R) => S);
  permission: Permission;
  guard?: (record: R, ctx: TransitionContext<I>) => void;
  effect?: (record: R, ctx: TransitionContext<I>) => void;
}

export interface AppliedTransition<S extends string, A extends string> {
  action: A;
  from: S;
  to: S;
}

/** How one record type keeps a step: it saves the record with its own event row, and says what the audit log records. */
export interface TransitionLog<S extends string, A extends string, R, I> {
  write(m: EntityManager, record: R, step: AppliedTransition<S, A>, ctx: TransitionContext<I>): Promise<void>;
  audit(record: R, step: AppliedTransition<S, A>): AuditEntry;
}

export class StateMachine<S extends string, A extends string, R extends { status: S }, I = unknown> {
  constructor(
    private readonly rules: readonly TransitionRule<S, A, R, I>[],
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
   * The one way a record changes state, in the caller's transaction: an
   * action that does not lead anywhere from the current state is a 409
   * listing the allowed ones, one the actor may not take on this record a
   * 403; then the row's guard, its effect, the new status, the record and its
   * event row written, the audit entry. Side effects in other modules
   * follow in the caller, through their owners.
   */
  async apply(
    m: EntityManager,
    audit: AuditLog,
    record: R,
    action: A,
    ctx: TransitionContext<I>,
    log: TransitionLog<S, A, R, I>,
  ): Promise<AppliedTransition<S, A>> {
    const rule = this.ruleFor(record, action, ctx.actor);
    const step = stepOf(rule, record);
    rule.guard?.(record, ctx);
    rule.effect?.(record, ctx);
    record.status = step.to;
    await log.write(m, record, step, ctx);
    await audit.record(m, ctx.actor, log.audit(record, step));
    return step;
  }

  /** The table itself, for documentation and tests. */
  table(): readonly TransitionRule<S, A, R, I>[] {
    return this.rules;
  }

  private ruleFor(record: R, action: A, actor: Pick<Actor, 'ability'>): TransitionRule<S, A, R, I> {
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
    return rule;
  }
}

function stepOf<S extends string, A extends string, R extends { status: S }, I>(
  rule: TransitionRule<S, A, R, I>,
  record: R,
): AppliedTransition<S, A> {
  return { action: rule.action, from: record.status, to: typeof rule.to === 'function' ? rule.to(record) : rule.to };
}
