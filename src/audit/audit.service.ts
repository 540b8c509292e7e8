import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuditAction, AuditEntityType } from '../codes/code-lists';
import type { RequestOrigin } from '../core/http/request-origin';

/** The codes and their labels live with the other code lists (`/code-lists`: `auditActions`, `auditEntityTypes`). */
export type { AuditAction, AuditEntityType } from '../codes/code-lists';

export interface AuditEntry {
  action: AuditAction;
  entityType: AuditEntityType;
  entityId?: string | null;
  /** The district of the case concerned, so that its supervisors see the entry. */
  districtId?: string | null;
  /** Field names, codes and counts; never personal values. */
  summary?: Record<string, unknown>;
}

/** Who did it: an Actor, or an origin with the user when one is known. */
export type AuditWho = RequestOrigin & { userId?: string | null; username?: string | null };

/**
 * Writes audit entries. Always inside the caller's transaction (pass its
 * EntityManager): the entry commits with the change it records, or neither
 * does. Sealing into the hash chain happens later (AuditSealer).
 */
@Injectable()
export class AuditLog {
  async record(manager: EntityManager, who: AuditWho, entry: AuditEntry): Promise<void> {
    await this.recordMany(manager, who, [entry]);
  }

  /** Several entries at once (a list read audits every case it returned). */
  async recordMany(manager: EntityManager, who: AuditWho, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const values: unknown[] = [];
    const rows = entries.map((entry, i) => {
      const o = i * 9;
      values.push(
        who.userId ?? null,
        who.username ?? null,
        entry.action,
        entry.entityType,
        entry.entityId ?? null,
        entry.districtId ?? null,
        who.ip,
        who.requestId,
        JSON.stringify(entry.summary ?? {}),
      );
      return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}, $${o + 8}, $${o + 9})`;
    });
    await manager.query(
      `INSERT INTO audit_events (actor_id, actor_username, action, entity_type, entity_id, district_id, client_ip, request_id, summary)
       VALUES ${rows.join(', ')}`,
      values,
    );
  }
}
