import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from './errors/domain-error';

export const IDEMPOTENCY_WINDOW_HOURS = 24;

export interface Replayable<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** Canonical JSON (sorted keys), so the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Idempotency-Key (api.md): a repeat of a creating request with the same key
 * and body within 24 hours answers the first response again and creates
 * nothing; the same key with another body is a 422. The key row is claimed in
 * the same transaction as the work, so two concurrent repeats serialize on it
 * and a failed attempt leaves the key free for a retry.
 */
@Injectable()
export class Idempotency {
  constructor(private readonly db: DataSource) {}

  /** Forgets keys older than the window (the reconciliation sweep's housekeeping). */
  async prune(): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [
      IDEMPOTENCY_WINDOW_HOURS,
    ]);
  }

  /**
   * Runs `work` once per key. The key row keeps only what `keep` picks
   * (the ids created), never the response body: a repeat answers with
   * `replay`, which reads the records again through the access policy,
   * so a repeat by someone who has since lost sight of the case is a 404 and
   * its read is audited like any other.
   */
  async run<T, K extends Record<string, string>>(o: {
    /** Whose key: keys are per user and scope. */
    userId: string;
    scope: string;
    key: string | undefined;
    body: unknown;
    /** The status of a first answer, given again on a repeat. */
    status: number;
    work: (m: EntityManager) => Promise<T>;
    keep: (result: T) => K;
    replay: (m: EntityManager, kept: K) => Promise<T>;
  }): Promise<Replayable<T>> {
    const { userId, scope, key, body, status, work } = o;
    if (key === undefined) {
      return { status, body: await this.db.transaction(work), replayed: false };
    }
    if (!/^[A-Za-z0-9_.:-]{8,128}$/.test(key)) {
      throw DomainError.validation([{ field: 'Idempotency-Key', message: 'must be 8-128 letters, digits or _ . : -' }]);
    }
    const hash = createHash('sha256').update(canonical(body)).digest('hex');
    return this.db.transaction(async (m) => {
      // Blocks while another transaction holds the same key, then sees its result.
      const claimed = (await m.query(
        `INSERT INTO idempotency_keys (user_id, scope, key, request_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, scope, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, status_code = NULL, response = NULL, created_at = now()
           WHERE idempotency_keys.created_at < now() - make_interval(hours => $5)
         RETURNING 1`,
        [userId, scope, key, hash, IDEMPOTENCY_WINDOW_HOURS],
      )) as unknown[];
      if (claimed.length === 0) {
        const [previous] = (await m.query(
          `SELECT request_hash, status_code, response FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3`,
          [userId, scope, key],
        )) as { request_hash: string; status_code: number; response: K }[];
        if (previous.request_hash !== hash) {
          throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used with a different body');
        }
        return { status: previous.status_code, body: await o.replay(m, previous.response), replayed: true };
      }
      const result = await work(m);
      await m.query(
        `UPDATE idempotency_keys SET status_code = $4, response = $5 WHERE user_id = $1 AND scope = $2 AND key = $3`,
        [userId, scope, key, status, JSON.stringify(o.keep(result))],
      );
      return { status, body: result, replayed: false };
    });
  }
}
