import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../core/config/app-config';
import { JobHandler } from '../core/queue/job-handler.decorator';
import { JobName } from '../core/queue/jobs';
import { BATCH, entryHash, GENESIS, SEALED_COLUMNS, SealedRow, sign } from './audit-chain';

/** pg_advisory_xact_lock key: one sealer at a time, across processes. */
const SEAL_LOCK = 7_241_001;
/** A checkpoint at most this often while entries keep coming (the seal job runs every few seconds). */
export const CHECKPOINT_EVERY_MS = 60_000;

/**
 * The audit chain's job (domain.md, "Audit"). Entries are written unsealed
 * inside each request's transaction; this seals them in batches a few
 * seconds later, in order, each storing the previous hash and its own
 * (`entryHash`, audit-chain.ts, which `AuditChain.verify` checks), and signs
 * the head now and then as a checkpoint kept outside the database.
 */
@Injectable()
export class AuditSealer {
  private readonly logger = new Logger('AuditChain');

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.AuditSeal)
  async sealPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const sealed = await this.sealBatch();
      total += sealed;
      if (sealed < BATCH) break;
    }
    if (total > 0) this.logger.debug(`sealed ${total} audit entries`);
    await this.checkpoint({ ifOlderThanMs: CHECKPOINT_EVERY_MS });
    return total;
  }

  /**
   * Signs the chain head with AUDIT_ANCHOR_KEY and writes the checkpoint to
   * the log (outside the database, where an operator keeps it) and to
   * audit_checkpoints. Nothing to do when the head has not moved since the
   * last checkpoint, or that one is younger than `ifOlderThanMs`.
   */
  async checkpoint(options: { ifOlderThanMs?: number } = {}): Promise<{ seq: string; hash: string } | null> {
    const key = this.config.AUDIT_ANCHOR_KEY;
    if (!key) return null;
    return this.db.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK]);
      const [head] = (await m.query(
        'SELECT a.seq::text AS seq, a.hash FROM audit_events a WHERE a.seq IS NOT NULL ORDER BY a.seq DESC LIMIT 1',
      )) as { seq: string; hash: string }[];
      if (!head) return null;
      const [last] = (await m.query(
        'SELECT seq::text AS seq, signed_at FROM audit_checkpoints ORDER BY id DESC LIMIT 1',
      )) as { seq: string; signed_at: Date }[];
      if (last?.seq === head.seq) return null;
      if (last && options.ifOlderThanMs && Date.now() - last.signed_at.getTime() < options.ifOlderThanMs) return null;
      const signature = sign(key, head.seq, head.hash);
      await m.query('INSERT INTO audit_checkpoints (seq, hash, signature) VALUES ($1, $2, $3)', [
        head.seq,
        head.hash,
        signature,
      ]);
      this.logger.log({ auditCheckpoint: { seq: head.seq, hash: head.hash, signature } }, 'audit chain checkpoint');
      return head;
    });
  }

  private sealBatch(): Promise<number> {
    return this.db.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK]);
      const [last] = (await m.query(
        'SELECT a.seq::text AS seq, a.hash FROM audit_events a WHERE a.seq IS NOT NULL ORDER BY a.seq DESC LIMIT 1',
      )) as { seq: string; hash: string }[];
      const rows = (await m.query(
        `SELECT ${SEALED_COLUMNS} FROM audit_events WHERE seq IS NULL ORDER BY audit_events.id LIMIT ${BATCH}`,
      )) as SealedRow[];
      if (rows.length === 0) return 0;
      let seq = BigInt(last?.seq ?? 0);
      let prev = last?.hash ?? GENESIS;
      const ids: string[] = [];
      const seqs: string[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
        seq += 1n;
        const hash = entryHash(prev, seq.toString(), row);
        ids.push(row.id);
        seqs.push(seq.toString());
        prevs.push(prev);
        hashes.push(hash);
        prev = hash;
      }
      await m.query(
        `UPDATE audit_events a SET seq = s.seq, prev_hash = s.prev_hash, hash = s.hash, sealed_at = now()
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS s(id, seq, prev_hash, hash)
         WHERE a.id = s.id`,
        [ids, seqs, prevs, hashes],
      );
      return rows.length;
    });
  }
}
