import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Actor, scopeWhere } from '../access/policy';
import { ApiDateTime, ApiUuid } from '../core/http/openapi';
import { decodeCursor, limitOf, Page, toPage } from '../core/http/pagination';
import { AuditEvent } from './audit-event.entity';
import { AuditChain, ChainReport } from './audit-chain';
import { AuditLog } from './audit.service';
import { ListAuditEventsQuery } from './dto/audit.dto';

export class AuditEventView {
  @ApiProperty({ description: 'Increasing, in the order written' }) id!: string;
  @ApiDateTime() occurredAt!: Date;
  @ApiUuid({ nullable: true }) actorId!: string | null;
  @ApiProperty({ type: String, nullable: true }) actorUsername!: string | null;
  @ApiProperty({ description: 'code list `audit_actions`' }) action!: string;
  @ApiProperty() entityType!: string;
  @ApiProperty({ type: String, nullable: true }) entityId!: string | null;
  @ApiUuid({ nullable: true }) districtId!: string | null;
  @ApiProperty({ type: String, nullable: true }) clientIp!: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) summary!: Record<string, unknown>;
  @ApiProperty({ description: 'Sealed into the hash chain' }) sealed!: boolean;
}

/** Reading the audit log: admins all entries, supervisors those about their districts' cases. */
@Injectable()
export class AuditEventsService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly chain: AuditChain,
  ) {}

  async list(actor: Actor, query: ListAuditEventsQuery): Promise<Page<AuditEventView>> {
    const limit = limitOf(query);
    const after = decodeCursor(query.cursor, ['integer']);
    const qb = this.db
      .getRepository(AuditEvent)
      .createQueryBuilder('a')
      .where(scopeWhere(actor, 'audit.read', { districtId: { sql: 'a.district_id' } }))
      .orderBy('a.id', 'DESC');
    if (query.entityType) qb.andWhere('a.entity_type = :entityType', { entityType: query.entityType });
    // A list read is one entry naming every record it returned (CaseRecords.page): it is a read of each of them.
    if (query.entityId) {
      qb.andWhere(`(a.entity_id = :entityId OR (a.action = 'read' AND a.summary->'ids' ? :entityId))`, {
        entityId: query.entityId,
      });
    }
    if (query.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.from) qb.andWhere('a.occurred_at >= :from', { from: query.from });
    if (query.to) qb.andWhere('a.occurred_at < :to', { to: query.to });
    if (after) qb.andWhere('a.id < :after', { after: after[0] });
    const rows = await qb.take(limit + 1).getMany();
    // Reading the audit log is itself recorded: the filters (ids and times, no personal values) and the count.
    const { cursor: _cursor, ...filters } = query;
    await this.audit.record(this.db.manager, actor, {
      action: 'list',
      entityType: 'audit_event',
      summary: { filters, returned: Math.min(rows.length, limit) },
    });
    return toPage(
      rows,
      limit,
      (a) => [a.id],
      (e): AuditEventView => ({
        id: e.id,
        occurredAt: e.occurredAt,
        actorId: e.actorId,
        actorUsername: e.actorUsername,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        districtId: e.districtId,
        clientIp: e.clientIp,
        requestId: e.requestId,
        summary: e.summary,
        sealed: e.seq !== null,
      }),
    );
  }

  /** Walks the hash chain; the check itself is recorded, with its outcome. */
  async verify(actor: Actor): Promise<ChainReport> {
    const report = await this.chain.verify();
    await this.audit.record(this.db.manager, actor, {
      action: 'read',
      entityType: 'audit_chain',
      summary: { valid: report.valid, sealed: report.sealed },
    });
    return report;
  }
}
