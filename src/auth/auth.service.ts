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
   * Failures are counted and audited in a transaction that commits before
   * the error is thrown.
   */
  async login(username: string, password: string, origin: RequestOrigin): Promise<{ user: User; tokens: TokenPair }> {
    const outcome = await this.db.transaction(async (m): Promise<LoginOutcome> => {
      const user = await m
        .getRepository(User)
        .createQueryBuilder('u')
        .addSelect('u.passwordHash')
        .setLock('pessimistic_write')
        .where('lower(u.username) = lower(:username)', { username })
        .getOne();
      if (!user) {
        await verifyPassword(await dummyPasswordHash(), password);
        await this.audit.record(m, origin, {
          action: 'login_failed',
          entityType: 'user',
          summary: { reason: 'unknown_user' },
        });
        return { ok: false, error: new DomainError('unauthenticated', WRONG_CREDENTIALS) };
      }
      const who = { ...origin, userId: user.id, username: user.username };
      if (user.lockedUntil && user.lockedUntil > new Date()) {
        await this.audit.record(m, who, {
          action: 'login_failed',
          entityType: 'user',
          entityId: user.id,
          summary: { reason: 'locked' },
        });
        return { ok: false, error: lockedError(user.lockedUntil) };
      }
      const passwordOk = await verifyPassword(user.passwordHash, password);
      if (!passwordOk || !user.active) {
        const reason = passwordOk ? 'inactive' : 'wrong_password';
        const lockedUntil = passwordOk ? null : await this.countFailure(m, user.id);
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
   */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const outcome = await this.db.transaction(async (m) => {
      const user = await m
        .getRepository(User)
        .createQueryBuilder('u')
        .addSelect('u.passwordHash')
        .setLock('pessimistic_write')
        .where('u.id = :id', { id: actor.userId })
        .getOneOrFail();
      if (!(await verifyPassword(user.passwordHash, currentPassword))) {
        await this.audit.record(m, actor, {
          action: 'password_change',
          entityType: 'user',
          entityId: actor.userId,
          summary: { result: 'wrong_current_password' },
        });
        return DomainError.validation([{ field: 'currentPassword', message: 'is not your current password' }]);
      }
      if (await verifyPassword(user.passwordHash, newPassword)) {
        return DomainError.validation([{ field: 'newPassword', message: 'must differ from the current password' }]);
      }
      await m.query(
        'UPDATE users SET password_hash = $2, must_change_password = false, updated_at = now(), version = version + 1 WHERE id = $1',
        [actor.userId, await hashPassword(newPassword)],
      );
      await this.tokens.revokeAllOf(m, actor.userId);
      await this.audit.record(m, actor, { action: 'password_change', entityType: 'user', entityId: actor.userId });
      return null;
    });
    if (outcome) throw outcome;
  }
}

function lockedError(until: Date): DomainError {
  const retryAfter = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new DomainError('rate_limited', 'Too many failed logins; the account is locked for a while', {
    retryAfterSeconds: retryAfter,
  });
}

export { MIN_PASSWORD_LENGTH };
