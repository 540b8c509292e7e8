import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiProperty } from '@nestjs/swagger';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { DomainError } from '../core/errors/domain-error';
import { OnDomainEvent } from '../core/events/domain-events';
import { UserDeactivated, UserPasswordReset } from '../directory/directory.events';
import { RefreshToken } from './refresh-token.entity';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_DAYS = 30;

export interface AccessTokenPayload {
  sub: string;
  /** The user's token version when issued; a bump makes the token useless. */
  tv: number;
}

export class TokenPair {
  @ApiProperty({ description: 'Bearer token for the Authorization header' }) accessToken!: string;
  @ApiProperty({ description: 'One use: POST /auth/refresh answers a new pair' }) refreshToken!: string;
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn!: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Short-lived access tokens (JWT, 15 min) and rotating refresh tokens
 * (30 days, stored hashed, one use). Refresh tokens read `<id>.<secret>`.
 */
/*
 * Queries: a token is issued and looked up through its entity; revoking a
 * family or a user's tokens and pruning old ones are set-based raw UPDATE /
 * DELETE statements, timed by the database clock as the expiry they compare.
 */
@Injectable()
export class TokenService {
  constructor(private readonly jwt: JwtService) {}

  async issue(
    m: EntityManager,
    user: { id: string; tokenVersion: number },
    familyId: string = randomUUID(),
  ): Promise<TokenPair> {
    const secret = randomBytes(32).toString('base64url');
    const row = await m.getRepository(RefreshToken).save({
      userId: user.id,
      familyId,
      tokenHash: sha256(secret),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_DAYS * 24 * 3600 * 1000),
    });
    const payload: AccessTokenPayload = { sub: user.id, tv: user.tokenVersion };
    return {
      accessToken: await this.jwt.signAsync(payload, { expiresIn: ACCESS_TOKEN_SECONDS }),
      refreshToken: `${row.id}.${secret}`,
      expiresIn: ACCESS_TOKEN_SECONDS,
    };
  }

  /**
   * Finds the stored row of a presented refresh token and locks it. Unknown
   * or malformed tokens, and wrong secrets, are all simply "invalid".
   */
  async find(m: EntityManager, token: string): Promise<RefreshToken> {
    const [id, secret] = token.split('.', 2);
    const invalid = new DomainError('unauthenticated', 'The refresh token is invalid or expired');
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id ?? '') || !secret) throw invalid;
    const row = await m
      .getRepository(RefreshToken)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.id = :id', { id })
      .getOne();
    if (!row) throw invalid;
    const given = Buffer.from(sha256(secret));
    if (given.length !== row.tokenHash.length || !timingSafeEqual(given, Buffer.from(row.tokenHash))) throw invalid;
    return row;
  }

  /** Forgets refresh tokens a day after they expired (the reconciliation sweep's housekeeping). */
  async pruneExpired(m: EntityManager): Promise<void> {
    await m.query(`DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'`);
  }

  async revokeFamily(m: EntityManager, familyId: string): Promise<void> {
    await m.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [
      familyId,
    ]);
  }

  /** A deactivated user keeps no refresh token (access.md). One handler per event: a method handles one. */
  @OnDomainEvent(UserDeactivated)
  async onUserDeactivated(m: EntityManager, { userId }: UserDeactivated): Promise<void> {
    await this.revokeAllOf(m, userId);
  }

  /** Nor one whose password an admin reset. */
  @OnDomainEvent(UserPasswordReset)
  async onUserPasswordReset(m: EntityManager, { userId }: UserPasswordReset): Promise<void> {
    await this.revokeAllOf(m, userId);
  }

  async revokeAllOf(m: EntityManager, userId: string): Promise<void> {
    await m.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  }
}
