import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import type { RequestOrigin } from '../core/http/request-origin';
import { DomainError } from '../core/errors/domain-error';
import { User } from '../directory/user.entity';
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../directory/passwords';
import { TokenPair, TokenService } from './token.service';

/** access.md: 5 failed logins in 15 minutes lock the account for 15 minutes. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_WINDOW_MINUTES = 15;
export const LOCKOUT_MINUTES = 15;

const WRONG_CREDENTIALS = 'Wrong username or password';

type LoginOutcome = { ok: true; user: User; tokens: TokenPair } | { ok: false; error: DomainError };

/*
 * Queries: users and refresh tokens are read through their entities. The
 * login bookkeeping (failure count, lockout, last login), a token's use and
 * the password change stay single raw UPDATEs: each is decided atomically
 * against the database clock (now(), the 15-minute window) under concurrent
 * attempts, and the bookkeeping is not an edit of the user record, whose
 * version the repository's update would bump (@VersionColumn).
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly db: DataSource,
    private readonly tokens: TokenService,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Checks a username and password. The same 401 for an unknown user, a wrong
   * password and a deactivated account, so the answer never tells which.
   *
   * argon2 runs before the transaction, with no connection or row lock held
   * (a burst of bad logins must not starve other requests of connections);
   * the transaction then re-reads the row under lock and accepts the result
   * only if the hash it was checked against is still the stored one.
   * Failures are counted and audited in a transaction that commits before
   * the error is thrown.
   */
  async login(username: string, password: string, origin: RequestOrigin): Promise<{ user: User; tokens: TokenPair }> {
    const seen = await this.credentials(this.db.manager, 'lower(u.username) = lower(:username)', { username });
    const passwordOk = isLocked(seen)
      ? false
      : await verifyPassword(seen?.passwordHash ?? (await dummyPasswordHash()), password);
    const outcome = await this.db.transaction(async (m): Promise<LoginOutcome> => {
      const user = seen && (await this.credentials(m, 'u.id = :id', { id: seen.id }, { lock: true }));
      if (!user) {
        await this.audit.record(m, origin, {
          action: 'login_failed',
          entityType: 'user',
          summary: { reason: 'unknown_user' },
        });
        return { ok: false, error: new DomainError('unauthenticated', WRONG_CREDENTIALS) };
      }
      const who = { ...origin, userId: user.id, username: user.username };
      if (isLocked(user)) {
        await this.audit.record(m, who, {
          action: 'login_failed',
          entityType: 'user',
          entityId: user.id,
          summary: { reason: 'locked' },
        });
        return { ok: false, error: lockedError(user.lockedUntil) };
      }
      const ok = passwordOk && user.passwordHash === seen.passwordHash;
      if (!ok || !user.active) {
        const reason = ok ? 'inactive' : 'wrong_password';
        const lockedUntil = ok ? null : await this.countFailure(m, user.id);
        await this.audit.record(m, who, {
          action: 'login_failed',
          entityType: 'user',
          entityId: user.id,
          summary: { reason, locked: lockedUntil !== null },
        });
        return { ok: false, error: new DomainError('unauthenticated', WRONG_CREDENTIALS) };
      }
      await m.query(
        `UPDATE users SET failed_login_count = 0, failed_login_window_start = NULL, locked_until = NULL, last_login_at = now()
         WHERE id = $1`,
        [user.id],
      );
      await this.audit.record(m, who, { action: 'login', entityType: 'user', entityId: user.id });
      return { ok: true, user, tokens: await this.tokens.issue(m, user) };
    });
    if (!outcome.ok) throw outcome.error;
    return { user: outcome.user, tokens: outcome.tokens };
  }

  /** A user row with its password hash; under a row lock inside a transaction when asked. */
  private credentials(
    m: EntityManager,
    where: string,
    params: Record<string, string>,
    options: { lock?: boolean } = {},
  ): Promise<User | null> {
    const qb = m.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').where(where, params);
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** Counts a failed login in its 15-minute window; the fifth locks the account. */
  private async countFailure(m: EntityManager, userId: string): Promise<Date | null> {
    const [row] = (await m.query(
      `UPDATE users SET
         failed_login_count = CASE WHEN failed_login_window_start IS NULL
              OR failed_login_window_start < now() - make_interval(mins => $2) THEN 1 ELSE failed_login_count + 1 END,
         failed_login_window_start = CASE WHEN failed_login_window_start IS NULL
              OR failed_login_window_start < now() - make_interval(mins => $2) THEN now() ELSE failed_login_window_start END
       WHERE id = $1 RETURNING failed_login_count`,
      [userId, LOCKOUT_WINDOW_MINUTES],
    )) as [{ failed_login_count: number }[], number];
    const count = row[0].failed_login_count;
    if (count < LOCKOUT_THRESHOLD) return null;
    const [locked] = (await m.query(
      `UPDATE users SET locked_until = now() + make_interval(mins => $2), failed_login_count = 0, failed_login_window_start = NULL
       WHERE id = $1 RETURNING locked_until`,
      [userId, LOCKOUT_MINUTES],
    )) as [{ locked_until: Date }[], number];
    return locked[0].locked_until;
  }

  /**
   * Rotates a refresh token: the presented one is used up and a new one of the
   * same family issued. Presenting a used token again is taken as theft: the
   * whole family is revoked (access.md).
   */
  async refresh(token: string, origin: RequestOrigin): Promise<TokenPair> {
    const outcome = await this.db.transaction(async (m): Promise<{ ok: true; tokens: TokenPair } | { ok: false }> => {
      const row = await this.tokens.find(m, token);
      const user = await m.getRepository(User).findOneBy({ id: row.userId });
      if (row.usedAt && !row.revokedAt) {
        await this.tokens.revokeFamily(m, row.familyId);
        await this.audit.record(
          m,
          { ...origin, userId: row.userId, username: user?.username ?? null },
          {
            action: 'token_reuse',
            entityType: 'user',
            entityId: row.userId,
            summary: { family: row.familyId },
          },
        );
        return { ok: false };
      }
      if (row.usedAt || row.revokedAt || row.expiresAt <= new Date() || !user?.active) return { ok: false };
      await m.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [row.id]);
      await this.audit.record(
        m,
        { ...origin, userId: user.id, username: user.username },
        { action: 'refresh', entityType: 'user', entityId: user.id },
      );
      return { ok: true, tokens: await this.tokens.issue(m, user, row.familyId) };
    });
    if (!outcome.ok) throw new DomainError('unauthenticated', 'The refresh token is invalid or expired');
    return outcome.tokens;
  }

  /** Ends the session of a refresh token (its whole family). Idempotent. */
  async logout(actor: Actor, token: string): Promise<void> {
    await this.db.transaction(async (m) => {
      let familyId: string | null = null;
      try {
        const row = await this.tokens.find(m, token);
        if (row.userId === actor.userId) familyId = row.familyId;
      } catch {
        // an unknown token has nothing left to revoke
      }
      if (familyId) await this.tokens.revokeFamily(m, familyId);
      await this.audit.record(m, actor, { action: 'logout', entityType: 'user', entityId: actor.userId });
    });
  }

  /**
   * The user changes their own password. Other sessions end (their refresh
   * tokens are revoked); the current access token stays valid until it expires.
   * A wrong current password counts toward the same lockout as a failed login
   * (a stolen access token must not let anyone guess the password without
   * limit), and a locked account cannot change its password. As at login,
   * argon2 runs outside the transaction.
   */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const seen = await this.credentials(this.db.manager, 'u.id = :id', { id: actor.userId });
    if (!seen) throw DomainError.notFound('User');
    if (isLocked(seen)) throw lockedError(seen.lockedUntil);
    const currentOk = await verifyPassword(seen.passwordHash, currentPassword);
    const unchanged = currentOk && (await verifyPassword(seen.passwordHash, newPassword));
    const newHash = currentOk && !unchanged ? await hashPassword(newPassword) : null;
    const outcome = await this.db.transaction(async (m) => {
      const user = await this.credentials(m, 'u.id = :id', { id: actor.userId }, { lock: true });
      if (!user) return DomainError.notFound('User');
      if (isLocked(user)) return lockedError(user.lockedUntil);
      if (user.passwordHash !== seen.passwordHash) {
        return new DomainError('conflict', 'The password was changed meanwhile; try again');
      }
      if (!currentOk) {
        const lockedUntil = await this.countFailure(m, actor.userId);
        await this.audit.record(m, actor, {
          action: 'password_change',
          entityType: 'user',
          entityId: actor.userId,
          summary: { result: 'wrong_current_password', locked: lockedUntil !== null },
        });
        return DomainError.validation([{ field: 'currentPassword', message: 'is not your current password' }]);
      }
      if (!newHash) {
        return DomainError.validation([{ field: 'newPassword', message: 'must differ from the current password' }]);
      }
      await m.query(
        `UPDATE users SET password_hash = $2, must_change_password = false, failed_login_count = 0,
           failed_login_window_start = NULL, updated_at = now(), version = version + 1 WHERE id = $1`,
        [actor.userId, newHash],
      );
      await this.tokens.revokeAllOf(m, actor.userId);
      await this.audit.record(m, actor, { action: 'password_change', entityType: 'user', entityId: actor.userId });
      return null;
    });
    if (outcome) throw outcome;
  }
}

const isLocked = (user: User | null): user is User & { lockedUntil: Date } =>
  !!user?.lockedUntil && user.lockedUntil > new Date();

function lockedError(until: Date): DomainError {
  const retryAfter = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new DomainError('rate_limited', 'Too many failed logins; the account is locked for a while', {
    retryAfterSeconds: retryAfter,
  });
}

export { MIN_PASSWORD_LENGTH };
