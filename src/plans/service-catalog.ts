import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { isUniqueViolation } from '../core/database/errors';
import { DomainError } from '../core/errors/domain-error';
import { versionConflict } from '../core/http/versioning';
import type { ServiceMeasure } from '../codes/code-lists';
import { CreateServiceDto, ServiceList, ServiceView, UpdateServiceDto } from './dto/service.dto';

interface ServiceRow {
  code: string;
  label_ja: string;
  label_en: string;
  measure: ServiceMeasure;
  active: boolean;
  version: number;
}

const view = (r: ServiceRow): ServiceView => ({
  code: r.code,
  label: { ja: r.label_ja, en: r.label_en },
  measure: r.measure,
  active: r.active,
  version: r.version,
});

const COLUMNS = 'code, label_ja, label_en, measure, active, version';

/**
 * The center's services (docs/domain.md, "Services"): a code list kept in
 * the database, seeded with the services every こども家庭センター runs, to
 * which the city's admins add their own. Codes are never renamed or deleted,
 * so every recorded use keeps its meaning; a service no longer offered is
 * made inactive.
 */
@Injectable()
export class ServiceCatalog {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditLog,
  ) {}

  /** In list order, inactive ones included (reports list every code). */
  async list(): Promise<ServiceList> {
    const rows = (await this.db.query(`SELECT ${COLUMNS} FROM services ORDER BY sort_order, code`)) as ServiceRow[];
    return { items: rows.map(view) };
  }

  /** A service by code, for recording or planning: it must exist and be offered. */
  async offered(m: EntityManager, code: string, field: string): Promise<ServiceView> {
    const [row] = (await m.query(`SELECT ${COLUMNS} FROM services WHERE code = $1`, [code])) as ServiceRow[];
    if (!row)
      throw DomainError.validation([{ field, code: 'not_found', message: 'is not a service of GET /services' }]);
    if (!row.active)
      throw DomainError.validation([{ field, code: 'inactive', message: 'is a service no longer offered' }]);
    return view(row);
  }

  async create(actor: Actor, dto: CreateServiceDto): Promise<ServiceView> {
    return this.db.transaction(async (m) => {
      let row: ServiceRow;
      try {
        [row] = (await m.query(
          `INSERT INTO services (code, label_ja, label_en, measure, sort_order)
           VALUES ($1, $2, $3, $4, (SELECT coalesce(max(sort_order) FILTER (WHERE code <> 'other'), 0) + 10 FROM services))
           RETURNING ${COLUMNS}`,
          [dto.code, dto.label.ja, dto.label.en, dto.measure],
        )) as ServiceRow[];
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new DomainError('conflict', 'A service with that code exists', {
          errors: [{ field: 'code', code: 'taken', message: 'is taken' }],
        });
      }
      await this.audit.record(m, actor, {
        action: 'create',
        entityType: 'service',
        entityId: row.code,
        summary: { measure: row.measure },
      });
      return view(row);
    });
  }

  async update(actor: Actor, code: string, version: number, dto: UpdateServiceDto): Promise<ServiceView> {
    return this.db.transaction(async (m) => {
      const [current] = (await m.query(`SELECT ${COLUMNS} FROM services WHERE code = $1 FOR UPDATE`, [
        code,
      ])) as ServiceRow[];
      if (!current) throw DomainError.notFound('Service');
      if (current.version !== version) throw versionConflict(current.version);
      const [[row]] = (await m.query(
        `UPDATE services SET label_ja = $2, label_en = $3, active = $4, updated_at = now(), version = version + 1
          WHERE code = $1 RETURNING ${COLUMNS}`,
        [code, dto.label?.ja ?? current.label_ja, dto.label?.en ?? current.label_en, dto.active ?? current.active],
      )) as [ServiceRow[], number];
      await this.audit.record(m, actor, {
        action: 'update',
        entityType: 'service',
        entityId: code,
        summary: { fields: Object.keys(dto).filter((f) => f !== 'version'), active: row.active },
      });
      return view(row);
    });
  }
}
