import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppConfig } from '../core/config/app-config';

/** How long a duplicate-check answer's token may be used: long enough to finish the call being recorded. */
export const MATCH_TOKEN_TTL_MS = 30 * 60 * 1000;

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Binds the ciphertext to its purpose: a token of another kind made with the same key does not open. */
const PURPOSE = Buffer.from('tsunagu:match-token:v1');

/**
 * A possible duplicate the caller may not read is named by a token instead of
 * its case (issue 11, item 1): AES-256-GCM over { case, user, expiry } with a
 * key derived from JWT_SECRET for this purpose only. Encrypted, so it tells
 * nothing (not even the case id); authenticated, so it cannot be forged or
 * altered; bound to the user it was shown to and short-lived.
 */
@Injectable()
export class MatchTokens {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.JWT_SECRET, Buffer.alloc(0), PURPOSE, 32));
  }

  issue(userId: string, caseId: string, now = new Date()): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(PURPOSE);
    const plain = JSON.stringify({ c: caseId, u: userId, x: now.getTime() + MATCH_TOKEN_TTL_MS });
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /** The case a token names, or null when it is forged, altered, expired or was shown to someone else. */
  open(userId: string, token: string, now = new Date()): string | null {
    const raw = Buffer.from(token, 'base64url');
    if (raw.length <= IV_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES)).setAAD(PURPOSE);
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
      const { c, u, x } = JSON.parse(plain.toString('utf8')) as { c: string; u: string; x: number };
      return u === userId && now.getTime() < x ? c : null;
    } catch {
      return null; // authentication failed: forged or altered
    }
  }
}
