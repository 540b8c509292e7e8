import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { hashPassword, oneTimePassword } from './passwords';
import { isUniqueViolation } from '../core/database/errors';
import { ROLES } from '../codes/code-lists';
import { DomainError } from '../core/errors/domain-error';
import { ApiCode, ApiUuid } from '../core/http/openapi';
import { decodeCursor, limitOf, Page, toPage } from '../core/http/pagination';
import { versionConflict } from '../core/http/versioning';
import { CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/user.dto';
import { User } from './user.entity';
import { DomainEvents } from '../core/events/domain-events';
import { UserDeactivated, UserPasswordReset } from './directory.events';

export class UserView {
  @ApiUuid() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiCode(ROLES, { isArray: true }) roles!: string[];
  @ApiProperty() active!: boolean;
  @ApiProperty() mustChangePassword!: boolean;
  @ApiProperty() version!: number;
}

export class ProfileDistrict {
  @ApiUuid() districtId!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  /** member or lead (counselors), supervisor (oversight). */
  @ApiProperty({ enum: ['member', 'lead', 'supervisor'] }) role!: 'member' | 'lead' | 'supervisor';
}

/** The logged-in user (GET /auth/me), with the districts that give them scope now. */
export class Profile {
  @ApiUuid() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiCode(ROLES, { isArray: true }) roles!: string[];
  @ApiProperty({ type: [ProfileDistrict] }) districts!: ProfileDistrict[];
  @ApiProperty({ description: 'Only POST /auth/password answers until it is changed' }) mustChangePassword!: boolean;
}

/** A new account or a reset password: the one-time password is shown this once. */
export class UserWithPassword {
  @ApiProperty({ type: UserView }) user!: UserView;
  @ApiProperty({
    required: false,
    description: 'When no password was given: tell the user; it must be changed at first login',
  })
  oneTimePassword?: string;
}

/** Never the password hash, tokens or lockout internals (access.md, "Field rules"). */
export function userView(u: User): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    email: u.email,
    roles: u.roles,
    active: u.active,
    mustChangePassword: u.mustChangePassword,
    version: u.version,
  };
}

/*
 * Queries: users are read and saved through their entity. Raw SQL stays for
 * the profile's districts (a UNION over the current_* views, which have no
 * entity) and the password reset (one statement that resets the lockout too).
 * Refresh tokens are auth's: it revokes them on UserDeactivated and
 * UserPasswordReset (auth sits above directory and cannot be called from here).
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly domainEvents: DomainEvents,
  ) {}

  /** GET /auth/me: the user with the districts that give them scope now. */
  async profile(userId: string): Promise<Profile> {
    const user = await this.db.getRepository(User).findOneByOrFail({ id: userId });
    const districts = (await this.db.query(
      `SELECT d.id AS "districtId", d.code, d.name, m.role FROM current_district_members m JOIN districts d ON d.id = m.district_id
        WHERE m.user_id = $1
       UNION ALL
       SELECT d.id, d.code, d.name, 'supervisor' FROM current_district_supervisors s JOIN districts d ON d.id = s.district_id
        WHERE s.user_id = $1
       ORDER BY code, role`,
      [userId],
    )) as ProfileDistrict[];
    const { id, username, displayName, email, roles, mustChangePassword } = user;
    return { id, username, displayName, email, roles, districts, mustChangePassword };
  }

  async list(query: ListUsersQuery): Promise<Page<UserView>> {
    const limit = limitOf(query);
    const after = decodeCursor(query.cursor, ['text', 'uuid']);
    const qb = this.db.getRepository(User).createQueryBuilder('u').orderBy('lower(u.username)').addOrderBy('u.id');
    if (query.role) qb.andWhere(':role = ANY(u.roles)', { role: query.role });
    if (query.active) qb.andWhere('u.active = :active', { active: query.active === 'true' });
    if (after) qb.andWhere('(lower(u.username), u.id) > (:k0, :k1)', { k0: after[0], k1: after[1] });
    const rows = await qb.take(limit + 1).getMany();
    return toPage(rows, limit, (u) => [u.username.toLowerCase(), u.id], userView);
  }

  async get(id: string): Promise<UserView> {
    const user = await this.db.getRepository(User).findOneBy({ id });
    if (!user) throw DomainError.notFound('User');
    return userView(user);
  }

  async create(actor: Actor, dto: CreateUserDto): Promise<UserWithPassword> {
    const generated = dto.password ? undefined : oneTimePassword();
    const hash = await hashPassword(dto.password ?? (generated as string));
    return this.db.transaction(async (m) => {
      const user = await this.insert(m, { ...dto, passwordHash: hash, mustChangePassword: true });
      await this.audit.record(m, actor, {
        action: 'create',
        entityType: 'user',
        entityId: user.id,
        summary: { fields: ['username', 'displayName', 'email', 'roles'], roles: user.roles },
      });
      return { user: userView(user), ...(generated ? { oneTimePassword: generated } : {}) };
    });
  }

  /** Shared by the API, the first-admin bootstrap and the demo data. */
  async insert(
    m: EntityManager,
    data: Pick<User, 'username' | 'displayName' | 'roles' | 'passwordHash' | 'mustChangePassword'> & {
      email?: string | null;
    },
  ): Promise<User> {
    try {
      return await m.getRepository(User).save(
        m.getRepository(User).create({
          ...data,
          email: data.email ?? null,
          active: true,
          tokenVersion: 1,
          failedLoginCount: 0,
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('conflict', 'That username is taken', {
          errors: [{ field: 'username', code: 'taken', message: 'is taken' }],
        });
      }
      throw error;
    }
  }

  async update(actor: Actor, id: string, version: number, dto: UpdateUserDto): Promise<UserView> {
    return this.db.transaction(async (m) => {
      const user = await this.lockedUser(m, id);
      if (user.version !== version) throw versionConflict(user.version);
      // access.md: a user cannot raise their own roles or scope.
      if (dto.roles && actor.userId === id && !sameSet(dto.roles, user.roles)) {
        throw DomainError.forbidden('You cannot change your own roles');
      }
      const changed = (['displayName', 'email', 'roles'] as const).filter(
        (f) => dto[f] !== undefined && JSON.stringify(dto[f]) !== JSON.stringify(user[f]),
      );
      if (dto.displayName !== undefined) user.displayName = dto.displayName;
      if (dto.email !== undefined) user.email = dto.email;
      if (dto.roles !== undefined) user.roles = dto.roles;
      const saved = await m.getRepository(User).save(user);
      await this.audit.record(m, actor, {
        action: 'update',
        entityType: 'user',
        entityId: id,
        summary: { fields: changed, ...(changed.includes('roles') ? { roles: saved.roles } : {}) },
      });
      return userView(saved);
    });
  }

  /**
   * Deactivation cuts the user off at once: token version bumped, refresh
   * tokens revoked (by auth, on UserDeactivated); their open tasks go to
   * whoever is next responsible (tasks, on the same event).
   */
  async deactivate(actor: Actor, id: string): Promise<UserView> {
    if (actor.userId === id) throw DomainError.forbidden('You cannot deactivate yourself');
    return this.db.transaction(async (m) => {
      const user = await this.lockedUser(m, id);
      user.active = false;
      user.tokenVersion += 1;
      const saved = await m.getRepository(User).save(user);
      await this.audit.record(m, actor, { action: 'deactivate', entityType: 'user', entityId: id });
      await this.domainEvents.publish(m, new UserDeactivated(actor, id));
      return userView(saved);
    });
  }

  /** A new one-time password; the user must change it, and every existing token stops working. */
  async resetPassword(actor: Actor, id: string): Promise<UserWithPassword & { oneTimePassword: string }> {
    const password = oneTimePassword();
    const hash = await hashPassword(password);
    return this.db.transaction(async (m) => {
      const user = await this.lockedUser(m, id);
      await m.query(
        `UPDATE users SET password_hash = $2, must_change_password = true, token_version = token_version + 1,
           failed_login_count = 0, failed_login_window_start = NULL, locked_until = NULL,
           updated_at = now(), version = version + 1 WHERE id = $1`,
        [id, hash],
      );
      await this.audit.record(m, actor, { action: 'password_reset', entityType: 'user', entityId: id });
      // Auth revokes the refresh tokens (TokenService), in this transaction.
      await this.domainEvents.publish(m, new UserPasswordReset(actor, id));
      return {
        user: userView({ ...user, mustChangePassword: true, version: user.version + 1 }),
        oneTimePassword: password,
      };
    });
  }

  private async lockedUser(m: EntityManager, id: string): Promise<User> {
    const user = await m.getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!user) throw DomainError.notFound('User');
    return user;
  }
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
