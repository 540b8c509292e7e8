import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiUuid } from '../core/http/openapi';
import { DataSource, EntityManager } from 'typeorm';
import { allows, Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { isUniqueViolation } from '../core/database/errors';
import { DomainError } from '../core/errors/domain-error';
import { versionConflict } from '../core/http/versioning';
import { matchesArea, normalizeAddress } from '../core/text/normalize';
import { District } from './district.entity';
import { DistrictMember, DistrictSupervisor, MemberRole } from './district-membership.entity';
import { CreateDistrictDto, UpdateDistrictDto } from './dto/district.dto';
import { User } from './user.entity';
import { DomainEvents } from '../core/events/domain-events';
import { MembershipEnded } from './directory.events';

export class DistrictView {
  @ApiUuid() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String], description: 'Town names or postal codes' }) areas!: string[];
  @ApiProperty() version!: number;
}

export class MembershipView {
  @ApiUuid() id!: string;
  @ApiUuid() districtId!: string;
  @ApiUuid() userId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ['member', 'lead', 'supervisor'] }) role!: MemberRole | 'supervisor';
  @ApiDateTime() validFrom!: Date;
  @ApiDateTime({ nullable: true, description: 'Null while current' }) validTo!: Date | null;
}

const view = (d: District): DistrictView => ({
  id: d.id,
  code: d.code,
  name: d.name,
  areas: d.areas,
  version: d.version,
});

/**
 * Districts (地区担当制), their areas, and who belongs to or oversees each,
 * with history: a membership ends by getting a valid_to, and is never deleted.
 */
/*
 * Queries: districts and memberships are written through their entities.
 * Raw SQL stays where the query builder has no plain form: membership lists
 * joined with the user's display name into one view row, the open row of a
 * membership locked FOR UPDATE before it changes, and ending a row at
 * greatest(now(), valid_from).
 */
@Injectable()
export class DistrictsService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly domainEvents: DomainEvents,
  ) {}

  async list(): Promise<{ items: DistrictView[]; nextCursor: null }> {
    const rows = await this.db.getRepository(District).find({ order: { code: 'ASC' } });
    // A city has a handful of districts: one page, no cursor.
    return { items: rows.map(view), nextCursor: null };
  }

  async get(id: string): Promise<DistrictView> {
    return view(await this.find(this.db.manager, id));
  }

  async create(actor: Actor, dto: CreateDistrictDto): Promise<DistrictView> {
    return this.db.transaction(async (m) => {
      try {
        const saved = await m.getRepository(District).save(m.getRepository(District).create(dto));
        await this.audit.record(m, actor, {
          action: 'create',
          entityType: 'district',
          entityId: saved.id,
          summary: { fields: ['code', 'name', 'areas'], areas: saved.areas.length },
        });
        return view(saved);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new DomainError('conflict', 'A district with that code exists', {
            errors: [{ field: 'code', code: 'taken', message: 'is taken' }],
          });
        }
        throw error;
      }
    });
  }

  async update(actor: Actor, id: string, version: number, dto: UpdateDistrictDto): Promise<DistrictView> {
    return this.db.transaction(async (m) => {
      const district = await this.find(m, id, true);
      if (district.version !== version) throw versionConflict(district.version);
      const fields = (['name', 'areas'] as const).filter((f) => dto[f] !== undefined);
      if (dto.name !== undefined) district.name = dto.name;
      if (dto.areas !== undefined) district.areas = dto.areas;
      const saved = await m.getRepository(District).save(district);
      await this.audit.record(m, actor, {
        action: 'update',
        entityType: 'district',
        entityId: id,
        summary: { fields },
      });
      return view(saved);
    });
  }

  /**
   * The district whose areas match an address. Full-width and half-width
   * characters and spaces are normalized first; when several match, the
   * longest (most specific) area wins.
   */
  async resolve(address: string): Promise<DistrictView> {
    // GET /districts/resolve reads outside any transaction; callers inside one use suggest(m, ...).
    const found = await this.match(this.db.manager, address);
    if (!found) throw DomainError.notFound('District for that address');
    return view(found);
  }

  /** The id of the district an address lies in, or null: a suggestion for intake and for a move. */
  async suggest(m: EntityManager, address: string): Promise<string | null> {
    return (await this.match(m, address))?.id ?? null;
  }

  private async match(m: EntityManager, address: string): Promise<District | null> {
    const normalized = normalizeAddress(address);
    let best: { district: District; length: number } | null = null;
    for (const district of await m.getRepository(District).find({ order: { code: 'ASC' } })) {
      for (const area of district.areas) {
        if (matchesArea(normalized, area) && (!best || area.length > best.length))
          best = { district, length: area.length };
      }
    }
    return best?.district ?? null;
  }

  async members(districtId: string, withHistory: boolean): Promise<MembershipView[]> {
    await this.find(this.db.manager, districtId);
    return (await this.db.query(
      `SELECT m.id, m.district_id AS "districtId", m.user_id AS "userId", u.display_name AS "displayName", m.role,
              m.valid_from AS "validFrom", m.valid_to AS "validTo"
         FROM district_members m JOIN users u ON u.id = m.user_id
        WHERE m.district_id = $1 AND ($2 OR m.valid_to IS NULL OR m.valid_to > now())
        ORDER BY m.valid_to IS NOT NULL, m.role DESC, u.display_name, m.valid_from`,
      [districtId, withHistory],
    )) as MembershipView[];
  }

  async supervisors(districtId: string, withHistory: boolean): Promise<MembershipView[]> {
    await this.find(this.db.manager, districtId);
    return (await this.db.query(
      `SELECT s.id, s.district_id AS "districtId", s.user_id AS "userId", u.display_name AS "displayName",
              'supervisor' AS role, s.valid_from AS "validFrom", s.valid_to AS "validTo"
         FROM district_supervisors s JOIN users u ON u.id = s.user_id
        WHERE s.district_id = $1 AND ($2 OR s.valid_to IS NULL OR s.valid_to > now())
        ORDER BY s.valid_to IS NOT NULL, u.display_name, s.valid_from`,
      [districtId, withHistory],
    )) as MembershipView[];
  }

  /**
   * Starts a membership. Re-adding a member with another role ends the old
   * row and opens a new one; naming a new lead turns the previous lead into a
   * member (one lead per district), both kept in the history.
   */
  async addMember(actor: Actor, districtId: string, userId: string, role: MemberRole): Promise<MembershipView> {
    this.mayManageMemberships(actor, districtId, userId);
    return this.db.transaction(async (m) => {
      await this.find(m, districtId, true);
      const user = await this.activeUser(m, userId);
      if (!user.roles.includes('counselor')) {
        throw DomainError.validation([{ field: 'userId', message: 'district members must have the counselor role' }]);
      }
      const open = await this.openMembership(m, districtId, userId);
      if (open?.role === role)
        throw new DomainError('conflict', 'The user is already a member of this district in that role');
      if (open) await this.endRow(m, 'district_members', open.id);
      if (role === 'lead') {
        const lead = (await m.query(
          `SELECT id, user_id FROM district_members WHERE district_id = $1 AND role = 'lead' AND valid_to IS NULL`,
          [districtId],
        )) as { id: string; user_id: string }[];
        for (const previous of lead) {
          await this.endRow(m, 'district_members', previous.id);
          await m
            .getRepository(DistrictMember)
            .insert({ districtId, userId: previous.user_id, role: 'member', validFrom: new Date() });
        }
      }
      const row = await m.getRepository(DistrictMember).save({ districtId, userId, role, validFrom: new Date() });
      await this.audit.record(m, actor, {
        action: 'membership_start',
        entityType: 'district_member',
        entityId: row.id,
        summary: { districtId, userId, role },
      });
      return { ...row, displayName: user.displayName, validTo: null };
    });
  }

  async endMember(actor: Actor, districtId: string, userId: string): Promise<void> {
    this.mayManageMemberships(actor, districtId, userId);
    await this.db.transaction(async (m) => {
      await this.find(m, districtId, true);
      const open = await this.openMembership(m, districtId, userId);
      if (!open) throw DomainError.notFound('Membership');
      await this.endRow(m, 'district_members', open.id);
      await this.audit.record(m, actor, {
        action: 'membership_end',
        entityType: 'district_member',
        entityId: open.id,
        summary: { districtId, userId, role: open.role },
      });
      await this.domainEvents.publish(m, new MembershipEnded(actor, districtId, userId));
    });
  }

  async addSupervisor(actor: Actor, districtId: string, userId: string): Promise<MembershipView> {
    if (actor.userId === userId) throw DomainError.forbidden('You cannot change your own scope');
    return this.db.transaction(async (m) => {
      await this.find(m, districtId, true);
      const user = await this.activeUser(m, userId);
      if (!user.roles.includes('supervisor')) {
        throw DomainError.validation([
          { field: 'userId', message: 'only users with the supervisor role can oversee a district' },
        ]);
      }
      try {
        const row = await m.getRepository(DistrictSupervisor).save({ districtId, userId, validFrom: new Date() });
        await this.audit.record(m, actor, {
          action: 'membership_start',
          entityType: 'district_supervisor',
          entityId: row.id,
          summary: { districtId, userId },
        });
        return { ...row, displayName: user.displayName, role: 'supervisor' as const, validTo: null };
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new DomainError('conflict', 'The user already oversees this district');
        }
        throw error;
      }
    });
  }

  async endSupervisor(actor: Actor, districtId: string, userId: string): Promise<void> {
    if (actor.userId === userId) throw DomainError.forbidden('You cannot change your own scope');
    await this.db.transaction(async (m) => {
      await this.find(m, districtId, true);
      const [open] = (await m.query(
        `SELECT id FROM district_supervisors WHERE district_id = $1 AND user_id = $2 AND valid_to IS NULL FOR UPDATE`,
        [districtId, userId],
      )) as { id: string }[];
      if (!open) throw DomainError.notFound('Supervision');
      await this.endRow(m, 'district_supervisors', open.id);
      await this.audit.record(m, actor, {
        action: 'membership_end',
        entityType: 'district_supervisor',
        entityId: open.id,
        summary: { districtId, userId },
      });
      await this.domainEvents.publish(m, new MembershipEnded(actor, districtId, userId));
    });
  }

  /**
   * Admins manage every district's memberships; supervisors those of the
   * districts they oversee, never their own (access.md: a user cannot raise
   * their own scope).
   */
  private mayManageMemberships(actor: Actor, districtId: string, userId: string): void {
    if (!allows(actor, 'membership.manage', { districtId }))
      throw DomainError.forbidden('You do not oversee this district');
    if (actor.userId === userId) throw DomainError.forbidden('You cannot change your own scope');
  }

  private async openMembership(m: EntityManager, districtId: string, userId: string) {
    const [row] = (await m.query(
      `SELECT id, role FROM district_members WHERE district_id = $1 AND user_id = $2 AND valid_to IS NULL FOR UPDATE`,
      [districtId, userId],
    )) as { id: string; role: MemberRole }[];
    return row ?? null;
  }

  private async endRow(m: EntityManager, table: 'district_members' | 'district_supervisors', id: string) {
    await m.query(`UPDATE ${table} SET valid_to = greatest(now(), valid_from) WHERE id = $1`, [id]);
  }

  private async activeUser(m: EntityManager, id: string): Promise<User> {
    const user = await m.getRepository(User).findOneBy({ id });
    if (!user || !user.active)
      throw DomainError.validation([{ field: 'userId', message: 'no active user with that id' }]);
    return user;
  }

  private async find(m: EntityManager, id: string, lock = false): Promise<District> {
    const district = await m
      .getRepository(District)
      .findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!district) throw DomainError.notFound('District');
    return district;
  }
}
