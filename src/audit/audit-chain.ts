import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../core/config/app-config';

export const GENESIS = '0'.repeat(64);
/** Entries read (and sealed) per query. */
export const BATCH = 1_000;

/**
 * The columns that are sealed, read as text in SQL so the hash covers exactly
 * what is stored (microseconds, jsonb's canonical form), not a JS rounding.
 */
export const SEALED_COLUMNS = `
  id::text AS id,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
  coalesce(actor_id::text, '') AS actor_id, coalesce(actor_username, '') AS actor_username,
  action, entity_type, coalesce(entity_id, '') AS entity_id, coalesce(district_id::text, '') AS district_id,
  coalesce(client_ip, '') AS client_ip, coalesce(request_id, '') AS request_id, summary::text AS summary`;

export interface SealedRow {
  id: string;
  occurred_at: string;
  actor_id: string;
  actor_username: string;
  action: string;
  entity_type: string;
  entity_id: string;
  district_id: string;
  client_ip: string;
  request_id: string;
  summary: string;
}

export function entryHash(prevHash: string, seq: string, row: SealedRow): string {
  const canonical = JSON.stringify([
    seq,
    row.id,
    row.occurred_at,
    row.actor_id,
    row.actor_username,
    row.action,
    row.entity_type,
    row.entity_id,
    row.district_id,
    row.client_ip,
    row.request_id,
    row.summary,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

export const CHAIN_BREAKS = [
  'hash_mismatch',
  'prev_hash_mismatch',
  'sequence_gap',
  'truncated',
  'checkpoint_mismatch',
  'checkpoint_forged',
] as const;

export class BrokenLink {
  @ApiProperty() seq!: string;
  @ApiProperty({ type: String, nullable: true }) id!: string | null;
  @ApiProperty({ enum: CHAIN_BREAKS }) reason!: (typeof CHAIN_BREAKS)[number];
}

export class ChainCheckpoint {
  @ApiProperty() seq!: string;
  @ApiProperty({ type: String, format: 'date-time' }) signedAt!: Date;
}

export class ChainReport {
  @ApiProperty() valid!: boolean;
  @ApiProperty() sealed!: number;
  @ApiProperty() unsealed!: number;
  /**
   * The first entry whose link does not hold, and why; or the newest signed
   * checkpoint the chain no longer matches: its entry is gone (`truncated`),
   * differs (`checkpoint_mismatch`, history re-chained), or the checkpoint
   * itself was not signed with our key (`checkpoint_forged`).
   */
  @ApiProperty({ type: BrokenLink, nullable: true }) firstBroken!: BrokenLink | null;
  /** The newest signed checkpoint the chain was checked against (null: none yet, or no AUDIT_ANCHOR_KEY). */
  @ApiProperty({ type: ChainCheckpoint, nullable: true }) checkpoint!: ChainCheckpoint | null;
}

interface CheckpointRow {
  seq: string;
  hash: string;
  signature: string;
  signed_at: Date;
}

/**
 * The audit log's hash chain (domain.md, "Audit"): entries are sealed a few
 * seconds after they are written (`AuditSealer`, audit-seal.jobs.ts), each
 * storing the previous hash and its own, so a deleted or altered row breaks
 * the chain at a place verify() names.
 */
@Injectable()
export class AuditChain {
  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Walks the sealed chain from the start and names the first broken link. */
  async verify(): Promise<ChainReport> {
    let expectedSeq = 1n;
    let prev = GENESIS;
    let sealed = 0;
    for (;;) {
      const rows = (await this.db.query(
        // Order by the bigint column, not the text alias (which sorts '10' before '9').
        `SELECT audit_events.seq::text AS seq, prev_hash, hash, ${SEALED_COLUMNS}
         FROM audit_events WHERE audit_events.seq >= $1 ORDER BY audit_events.seq LIMIT ${BATCH}`,
        [expectedSeq.toString()],
      )) as (SealedRow & { seq: string; prev_hash: string; hash: string })[];
      for (const row of rows) {
        const broken = (reason: NonNullable<ChainReport['firstBroken']>['reason']) => ({
          seq: row.seq,
          id: row.id,
          reason,
        });
        let firstBroken: ChainReport['firstBroken'] = null;
        if (BigInt(row.seq) !== expectedSeq) firstBroken = broken('sequence_gap');
        else if (row.prev_hash !== prev) firstBroken = broken('prev_hash_mismatch');
        else if (entryHash(prev, row.seq, row) !== row.hash) firstBroken = broken('hash_mismatch');
        if (firstBroken) {
          const { checkpoint } = await this.checkAnchor();
          return { valid: false, sealed, unsealed: await this.unsealedCount(), firstBroken, checkpoint };
        }
        sealed += 1;
        prev = row.hash;
        expectedSeq += 1n;
      }
      if (rows.length < BATCH) break;
    }
    const { firstBroken, checkpoint } = await this.checkAnchor();
    return { valid: firstBroken === null, sealed, unsealed: await this.unsealedCount(), firstBroken, checkpoint };
  }

  /** The chain against its newest signed checkpoint: the entry it names must still be there, unchanged. */
  private async checkAnchor(): Promise<Pick<ChainReport, 'firstBroken' | 'checkpoint'>> {
    const key = this.config.AUDIT_ANCHOR_KEY;
    const [cp] = (await this.db.query(
      'SELECT seq::text AS seq, hash, signature, signed_at FROM audit_checkpoints ORDER BY id DESC LIMIT 1',
    )) as CheckpointRow[];
    if (!key || !cp) return { firstBroken: null, checkpoint: null };
    const checkpoint = { seq: cp.seq, signedAt: cp.signed_at };
    if (!signatureHolds(key, cp))
      return { firstBroken: { seq: cp.seq, id: null, reason: 'checkpoint_forged' }, checkpoint };
    const [entry] = (await this.db.query('SELECT id::text AS id, hash FROM audit_events WHERE seq = $1', [cp.seq])) as {
      id: string;
      hash: string;
    }[];
    if (!entry) return { firstBroken: { seq: cp.seq, id: null, reason: 'truncated' }, checkpoint };
    if (entry.hash !== cp.hash)
      return { firstBroken: { seq: cp.seq, id: entry.id, reason: 'checkpoint_mismatch' }, checkpoint };
    return { firstBroken: null, checkpoint };
  }

  private async unsealedCount(): Promise<number> {
    const [{ n }] = (await this.db.query('SELECT count(*)::int AS n FROM audit_events WHERE seq IS NULL')) as {
      n: number;
    }[];
    return n;
  }
}

/** HMAC-SHA256 of the chain head under the anchor key. */
export function sign(key: string, seq: string, hash: string): string {
  return createHmac('sha256', key).update(`tsunagu-audit-checkpoint\n${seq}\n${hash}`).digest('hex');
}

function signatureHolds(key: string, cp: CheckpointRow): boolean {
  const expected = Buffer.from(sign(key, cp.seq, cp.hash), 'hex');
  const given = Buffer.from(cp.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
