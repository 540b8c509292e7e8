import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Permission } from '../access/matrix';
import { Actor, authorize, FieldMap, scopeCondition } from '../access/policy';
import { AuditLog, type AuditEntityType, type AuditEntry } from '../audit/audit.service';
import { DomainError } from '../core/errors/domain-error';
import { decodeCursor, limitOf, ListQuery, Page, toPage } from '../core/http/pagination';
import { caseAccess } from './case-lifecycle';
import { Case } from './case.entity';

/*
 * The one read path for case data (style.md, "scope cannot be forgotten"):
 * which cases an actor may see, as SQL; one case loaded and checked for an
 * action; a keyset page of case data with every returned record's read
 * audited. Tasks, referrals, conferences, statistics and exports use these;
 * test/architecture/case-data-reads.test.ts fails on a read of case tables
 * that goes around them.
 */

/**
 * How a case's access shape (src/access/matrix.ts) is found in SQL, given the
 * alias of the `cases` table and where the case sits in the record's access
 * shape ('' for a case, 'case.' for a task, referral or conference). The
 * only copy of this map: a new rule field is added here once.
 */
export function caseFields(alias = 'c', path = ''): FieldMap {
  return {
    [`${path}districtId`]: { sql: `${alias}.district_id` },
    [`${path}confidential`]: { sql: `${alias}.confidential` },
    [`${path}assigneeIds`]: { sql: `${alias}.assignee_ids`, array: 'uuid' },
    [`${path}hasReferral`]: { sql: `${alias}.has_referral` },
  };
}

/**
 * The records the actor may see under `permission`, as a WHERE condition for
 * a query that joins `cases` as `alias` (default `c`). A record kind whose
 * access shape has fields of its own (a task's assignee) names them in `own`.
 * No actor, no query: it throws rather than run unscoped.
 */
export function scopedToCases(
  actor: Actor,
  permission: Permission,
  options: { alias?: string; own?: FieldMap } = {},
): Brackets {
  const { sql, params } = scopedToCasesSql(actor, permission, options);
  return new Brackets((qb) => {
    qb.where(sql, params);
  });
}

/**
 * The same condition as SQL text with named parameters (`:name`), for a
 * hand-written query the query builder cannot express (the statistics'
 * GROUPING SETS).
 */
export function scopedToCasesSql(
  actor: Actor,
  permission: Permission,
  options: { alias?: string; own?: FieldMap } = {},
): { sql: string; params: Record<string, unknown> } {
  if (!actor?.ability) throw new Error(`scopedToCases(${permission}): no actor, so no scope`);
  const path = permission.startsWith('case.') || permission.startsWith('stats.') ? '' : 'case.';
  return scopeCondition(actor, permission, { ...options.own, ...caseFields(options.alias ?? 'c', path) });
}

/** The cases this actor may read (whole cases, or headers for staff), as a WHERE condition on alias `c`. */
export function readableCases(actor: Actor, alias = 'c'): Brackets {
  return scopedToCases(actor, readPermissionOf(actor), { alias });
}

/** Staff read case headers; everyone else reads whole cases. */
export function readPermissionOf(actor: Pick<Actor, 'roles'>): Permission {
  return actor.roles.some((r) => r === 'counselor' || r === 'supervisor') ? 'case.read' : 'case.read_header';
}

/** A closed case takes no writes but reopening (a transition of its own): 409 until a supervisor reopens it. */
export function assertOpen(c: Case): void {
  if (c.status === 'closed') {
    throw new DomainError('conflict', 'The case is closed; a supervisor can reopen it first');
  }
}

/** What a read of one listed record writes to the audit log: its district, or its case's. */
export type ReadAudit = {
  entityType: AuditEntityType;
  entityId: string;
  summary?: Record<string, unknown>;
} & ({ districtId: string | null } | { caseId: string });

/** A keyset order on (an instant, an id): the columns, the direction, and a row's key. */
export interface Keyset<R> {
  at: string;
  id: string;
  order: 'ASC' | 'DESC';
  keyOf: (row: R) => [Date, string];
}

@Injectable()
export class CaseRecords {
  constructor(private readonly audit: AuditLog) {}

  /**
   * The one way to fetch a case for an action: load it (locked for writing
   * when asked), then check the permission against the record. Out of the
   * actor's read scope is a 404, as if the case did not exist; a write
   * (`open`) to a closed case is a 409.
   */
  async load(
    m: EntityManager,
    actor: Actor,
    id: string,
    permission: Permission,
    options: { lock?: boolean; open?: boolean } = {},
  ): Promise<Case> {
    const found = await m.getRepository(Case).findOne({
      where: { id },
      ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!found) throw DomainError.notFound('Case');
    authorize(actor, permission, caseAccess(found), readPermissionOf(actor), 'Case');
    if (options.open) assertOpen(found);
    return found;
  }

  /**
   * One page of a list of case data (api.md, "Lists"): `qb` already carries
   * the scope (scopedToCases) and the filters; this adds the keyset order and
   * cursor, fetches `limit + 1` rows in one query (`qb`'s joins must each give
   * at most one row per record, as they do: TypeORM's `take` would first
   * select the distinct ids in a second round trip), presents them, and
   * audits the read.
   */
  async page<R extends ObjectLiteral, T>(
    m: EntityManager,
    actor: Actor,
    qb: SelectQueryBuilder<R>,
    query: ListQuery,
    o: { keyset: Keyset<R>; present: (rows: R[]) => T[] | Promise<T[]>; audit: (item: T) => ReadAudit },
  ): Promise<Page<T>> {
    const limit = limitOf(query);
    const after = decodeCursor(query.cursor, ['instant', 'uuid']);
    const { at, id, order } = o.keyset;
    qb.orderBy(at, order).addOrderBy(id, order);
    if (after) {
      qb.andWhere(`(${at}, ${id}) ${order === 'ASC' ? '>' : '<'} (:keyset_at, :keyset_id)`, {
        keyset_at: after[0],
        keyset_id: after[1],
      });
    }
    const rows = await qb.limit(limit + 1).getMany();
    const page = toPage(
      rows,
      limit,
      (r) => {
        const [instant, rowId] = o.keyset.keyOf(r);
        return [instant.toISOString(), rowId];
      },
      (r) => r,
    );
    const items = await o.present(page.items);
    await this.auditReads(m, actor, items.map(o.audit));
    return { items, nextCursor: page.nextCursor };
  }

  /**
   * Audits the read of listed records: one entry per read, naming every id
   * returned (`summary.ids`), rather than one row per record (issue 16: a
   * page of 20 wrote 20 rows, and the log grew by millions a day). Records of
   * different districts (a supervisor's list across districts) get one entry
   * per district, so each district's supervisors still see the reads of
   * their cases. GET /audit-events?entityId= finds a record in these lists too.
   */
  private async auditReads(m: EntityManager, actor: Actor, reads: ReadAudit[]): Promise<void> {
    const caseIds = [...new Set(reads.flatMap((r) => ('caseId' in r ? [r.caseId] : [])))];
    const districts = new Map(
      caseIds.length === 0
        ? []
        : (
            (await m.query(`SELECT id, district_id FROM cases WHERE id = ANY($1::uuid[])`, [caseIds])) as {
              id: string;
              district_id: string | null;
            }[]
          ).map((c) => [c.id, c.district_id]),
    );
    await this.audit.recordMany(
      m,
      actor,
      listReadEntries(reads, (r) => ('caseId' in r ? (districts.get(r.caseId) ?? null) : r.districtId)),
    );
  }
}

/** The audit entries of one list read: one per entity type, district and summary, naming the ids in order. */
export function listReadEntries(reads: ReadAudit[], districtOf: (r: ReadAudit) => string | null): AuditEntry[] {
  const entries = new Map<string, AuditEntry & { summary: { ids: string[] } }>();
  for (const r of reads) {
    const districtId = districtOf(r);
    const key = JSON.stringify([r.entityType, districtId, r.summary ?? {}]);
    let entry = entries.get(key);
    if (!entry) {
      entry = { action: 'read', entityType: r.entityType, districtId, summary: { ...r.summary, ids: [] } };
      entries.set(key, entry);
    }
    entry.summary.ids.push(r.entityId);
  }
  return [...entries.values()];
}
