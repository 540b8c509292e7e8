import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ApiUuid } from '../core/http/openapi';
import { DataSource } from 'typeorm';
import type { Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { isUniqueViolation } from '../core/database/errors';
import { DomainError } from '../core/errors/domain-error';
import { decodeCursor, limitOf, Page, toPage } from '../core/http/pagination';
import { versionConflict } from '../core/http/versioning';
import { CreateOrganizationDto, ListOrganizationsQuery, UpdateOrganizationDto } from './dto/organization.dto';
import { Organization } from './organization.entity';
import { ORGANIZATION_KINDS } from '../codes/code-lists';

export class OrganizationContactView {
  @ApiProperty({ required: false }) phone?: string;
  @ApiProperty({ required: false }) fax?: string;
  @ApiProperty({ required: false }) email?: string;
  @ApiProperty({ required: false }) address?: string;
  @ApiProperty({ required: false }) person?: string;
}

export class OrganizationView {
  @ApiUuid() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) kind!: 'internal' | 'external';
  @ApiProperty({ description: 'code list `organization_types`' }) type!: string;
  @ApiProperty({ description: 'Member of the regional council (要対協)' }) councilMember!: boolean;
  @ApiProperty({ type: OrganizationContactView }) contact!: OrganizationContactView;
  @ApiProperty() active!: boolean;
  @ApiProperty() version!: number;
}

const view = (o: Organization): OrganizationView => ({
  id: o.id,
  name: o.name,
  kind: o.kind,
  type: o.type,
  councilMember: o.councilMember,
  contact: o.contact,
  active: o.active,
  version: o.version,
});

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async list(query: ListOrganizationsQuery): Promise<Page<OrganizationView>> {
    const limit = limitOf(query);
    const after = decodeCursor(query.cursor, ['text', 'uuid']);
    const qb = this.db.getRepository(Organization).createQueryBuilder('o').orderBy('o.name').addOrderBy('o.id');
    if (query.kind) qb.andWhere('o.kind = :kind', { kind: query.kind });
    if (query.councilMember) qb.andWhere('o.councilMember = :cm', { cm: query.councilMember === 'true' });
    if (query.q) qb.andWhere(`o.name ILIKE :q ESCAPE '\\'`, { q: `%${query.q.replace(/[\\%_]/g, '\\$&')}%` });
    if (after) qb.andWhere('(o.name, o.id) > (:k0, :k1)', { k0: after[0], k1: after[1] });
    const rows = await qb.take(limit + 1).getMany();
    return toPage(rows, limit, (o) => [o.name, o.id], view);
  }

  async get(id: string): Promise<OrganizationView> {
    const org = await this.db.getRepository(Organization).findOneBy({ id });
    if (!org) throw DomainError.notFound('Organization');
    return view(org);
  }

  async create(actor: Actor, dto: CreateOrganizationDto): Promise<OrganizationView> {
    return this.db.transaction(async (m) => {
      const saved = await this.unique(() =>
        m
          .getRepository(Organization)
          .save(m.getRepository(Organization).create({ ...dto, contact: dto.contact ?? {}, active: true })),
      );
      await this.audit.record(m, actor, {
        action: 'create',
        entityType: 'organization',
        entityId: saved.id,
        summary: { fields: Object.keys(dto), councilMember: saved.councilMember },
      });
      return view(saved);
    });
  }

  async update(actor: Actor, id: string, version: number, dto: UpdateOrganizationDto): Promise<OrganizationView> {
    return this.db.transaction(async (m) => {
      const org = await m.getRepository(Organization).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!org) throw DomainError.notFound('Organization');
      if (org.version !== version) throw versionConflict(org.version);
      const { version: _v, ...changes } = dto;
      Object.assign(org, changes);
      const saved = await this.unique(() => m.getRepository(Organization).save(org));
      await this.audit.record(m, actor, {
        action: 'update',
        entityType: 'organization',
        entityId: id,
        summary: { fields: Object.keys(changes), councilMember: saved.councilMember },
      });
      return view(saved);
    });
  }

  private async unique<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('conflict', 'An organization with that name exists', {
          errors: [{ field: 'name', code: 'taken', message: 'is taken' }],
        });
      }
      throw error;
    }
  }
}
