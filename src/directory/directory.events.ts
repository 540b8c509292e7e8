import type { Actor } from '../access/policy';

/*
 * What the directory tells the others, inside the transaction of the change
 * (src/core/events). Handlers: search for @OnDomainEvent(<class>).
 */

/** A user was deactivated: their open work needs another owner. */
export class UserDeactivated {
  static readonly type = 'user.deactivated';
  constructor(
    readonly actor: Actor,
    readonly userId: string,
  ) {}
}

/** An admin gave a user a new one-time password: every token they hold stops working. */
export class UserPasswordReset {
  static readonly type = 'user.password_reset';
  constructor(
    readonly actor: Actor,
    readonly userId: string,
  ) {}
}

/** A membership or supervision of a district ended: the user's open work there needs another owner. */
export class MembershipEnded {
  static readonly type = 'membership.ended';
  constructor(
    readonly actor: Actor,
    readonly districtId: string,
    readonly userId: string,
  ) {}
}
