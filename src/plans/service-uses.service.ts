import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { CaseRecords } from '../cases/case-records';
import type { Case } from '../cases/case.entity';
import { DomainError, FieldError } from '../core/errors/domain-error';
import { decodeCursor, limitOf, ListQuery, toPage } from '../core/http/pagination';
import { refOf, UserRef, userRefs } from '../directory/user-ref';
import { CancelServiceUseDto, RecordServiceUseDto, ServiceUsePage, ServiceUseView } from './dto/service.dto';
import { ServiceCatalog } from './service-catalog';

const COLUMNS = `id, case_id AS "caseId", service_code AS "serviceCode", plan_id AS "planId",
  to_char(start_date, 'YYYY-MM-DD') AS "startDate", to_char(end_date, 'YYYY-MM-DD') AS "endDate",
  nights, hours::float8 AS hours, persons, provider_organization_id AS "providerOrganizationId", note, status,
  recorded_by AS "recordedBy", created_at AS "createdAt", cancelled_at AS "cancelledAt",
  cancelled_by AS "cancelledBy", cancel_reason AS "cancelReason"`;

/** A stored use, as COLUMNS reads it: the answer without the names. */
type ServiceUseRow = Omit<ServiceUseView, 'recordedByUser' | 'cancelledByUser'>;

const useView = (u: ServiceUseRow, users: Map<string, UserRef>): ServiceUseView => ({
  ...u,
  recordedByUser: refOf(users, u.recordedBy),
  cancelledByUser: refOf(users, u.cancelledBy),
});

/** One use as an answer, with the staff it names (issue 13). */
const oneUseView = async (m: EntityManager, u: ServiceUseRow): Promise<ServiceUseView> =>
  useView(u, await userRefs(m, [u.recordedBy, u.cancelledBy]));

/**
 * Each delivered use of a service (docs/domain.md, "Services"): recorded
 * against the case, and against the support plan in force when it is
 * recorded. Access follows the case: whoever may edit it records, whoever may
 * read it reads. A mistaken record is cancelled with a reason, never deleted.
 */
@Injectable()
export class ServiceUses {
  constructor(
    private readonly db: DataSource,
    private readonly records: CaseRecords,
    private readonly catalog: ServiceCatalog,
    private readonly audit: AuditLog,
  ) {}

  async record(actor: Actor, caseId: string, dto: RecordServiceUseDto): Promise<ServiceUseView> {
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, caseId, 'case.edit', { open: true });
      await this.check(m, dto);
      const [use] = (await m.query(
        `INSERT INTO service_uses (case_id, service_code, plan_id, start_date, end_date, nights, hours, persons,
                                   provider_organization_id, note, recorded_by)
         VALUES ($1, $2, (SELECT id FROM support_plans WHERE case_id = $1 AND status = 'approved'),
                 $3, $4, $5, $6, $7, $8, $9, $10)
         RETURNING ${COLUMNS}`,
        [
          c.id,
          dto.serviceCode,
          dto.startDate,
          dto.endDate ?? dto.startDate,
          dto.nights ?? null,
          dto.hours ?? null,
          dto.persons ?? 1,
          dto.providerOrganizationId ?? null,
          dto.note ?? null,
          actor.userId,
        ],
      )) as ServiceUseRow[];
      await this.audited(m, actor, c, 'create', use.id, { serviceCode: use.serviceCode, planId: use.planId });
      return oneUseView(m, use);
    });
  }

  /** The rules a use must keep beyond its fields' own: the service, its measure, the dates, the provider. */
  private async check(m: EntityManager, dto: RecordServiceUseDto): Promise<void> {
    const service = await this.catalog.offered(m, dto.serviceCode, 'serviceCode');
    const errors: FieldError[] = [];
    const endDate = dto.endDate ?? dto.startDate;
    if (endDate < dto.startDate)
      errors.push({ field: 'endDate', code: 'before_start', message: 'must not be before startDate' });
    if (service.measure === 'nights') {
      const days = (Date.parse(endDate) - Date.parse(dto.startDate)) / 86_400_000;
      if (dto.nights === undefined)
        errors.push({ field: 'nights', code: 'required', message: `is required for ${service.code}` });
      else if (dto.nights > Math.max(days, 1))
        errors.push({
          field: 'nights',
          code: 'too_many_nights',
          message: 'is more than the nights between startDate and endDate',
        });
    } else if (dto.nights !== undefined) {
      errors.push({
        field: 'nights',
        code: 'not_applicable',
        message: `only applies to a stay; ${service.code} is not counted in nights`,
      });
    }
    if (service.measure === 'hours' && dto.hours === undefined)
      errors.push({ field: 'hours', code: 'required', message: `is required for ${service.code}` });
    if (service.measure !== 'hours' && dto.hours !== undefined)
      errors.push({ field: 'hours', code: 'not_applicable', message: `${service.code} is not counted in hours` });
    if (dto.providerOrganizationId) {
      const found = (await m.query(`SELECT 1 FROM organizations WHERE id = $1`, [dto.providerOrganizationId])) as [];
      if (found.length === 0)
        errors.push({ field: 'providerOrganizationId', code: 'not_found', message: 'names an unknown organization' });
    }
    if (errors.length > 0) throw DomainError.validation(errors);
  }

  /** The case's uses, newest first, cancelled ones included (marked). */
  async list(actor: Actor, caseId: string, query: ListQuery): Promise<ServiceUsePage> {
    const limit = limitOf(query);
    const after = decodeCursor(query.cursor, ['text', 'uuid']);
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, caseId, 'case.read');
      const rows = (await m.query(
        `SELECT ${COLUMNS} FROM service_uses
          WHERE case_id = $1 ${after ? `AND (start_date, id) < ($2::date, $3::uuid)` : ''}
          ORDER BY start_date DESC, id DESC LIMIT ${limit + 1}`,
        [c.id, ...(after ?? [])],
      )) as ServiceUseRow[];
      // The names of the whole page in one query (issue 13).
      const users = await userRefs(
        m,
        rows.flatMap((u) => [u.recordedBy, u.cancelledBy]),
      );
      await this.audit.record(m, actor, {
        action: 'read',
        entityType: 'service_uses',
        entityId: c.id,
        districtId: c.districtId,
      });
      return toPage(
        rows,
        limit,
        (u) => [u.startDate, u.id],
        (u) => useView(u, users),
      );
    });
  }

  async get(actor: Actor, id: string): Promise<ServiceUseView> {
    return this.db.transaction(async (m) => {
      const { use, c } = await this.load(m, actor, id, 'case.read');
      await this.audited(m, actor, c, 'read', use.id, {});
      return oneUseView(m, use);
    });
  }

  async cancel(actor: Actor, id: string, dto: CancelServiceUseDto): Promise<ServiceUseView> {
    return this.db.transaction(async (m) => {
      const { use, c } = await this.load(m, actor, id, 'case.edit');
      if (use.status !== 'recorded') throw new DomainError('conflict', 'The service use is already cancelled');
      const [[cancelled]] = (await m.query(
        `UPDATE service_uses SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, cancel_reason = $3
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [use.id, actor.userId, dto.reason],
      )) as [ServiceUseRow[], number];
      await this.audited(m, actor, c, 'transition', use.id, { to: 'cancelled' });
      return oneUseView(m, cancelled);
    });
  }

  /** A use and its case, checked against the case: out of read scope is a 404. */
  private async load(
    m: EntityManager,
    actor: Actor,
    id: string,
    permission: 'case.read' | 'case.edit',
  ): Promise<{ use: ServiceUseRow; c: Case }> {
    const lock = permission === 'case.edit' ? 'FOR UPDATE' : '';
    const [use] = (await m.query(`SELECT ${COLUMNS} FROM service_uses WHERE id = $1 ${lock}`, [id])) as
      ServiceUseRow[] | [];
    if (!use) throw DomainError.notFound('Service use');
    const c = await this.records
      .load(m, actor, use.caseId, permission, { open: permission === 'case.edit' })
      .catch((error: unknown) => {
        throw error instanceof DomainError && error.code === 'not_found' ? DomainError.notFound('Service use') : error;
      });
    return { use, c };
  }

  private audited(
    m: EntityManager,
    actor: Actor,
    c: Case,
    action: 'create' | 'read' | 'transition',
    entityId: string,
    summary: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(m, actor, {
      action,
      entityType: 'service_use',
      entityId,
      districtId: c.districtId,
      summary: { caseId: c.id, ...summary },
    });
  }
}
