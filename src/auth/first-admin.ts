import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit.service';
import { AppConfig } from '../core/config/app-config';
import { UsersService } from '../directory/users.service';
import { hashPassword } from '../directory/passwords';

/**
 * The first admin (README, "Creating the first admin"): when ADMIN_USERNAME
 * and ADMIN_PASSWORD are set and no active admin exists, create one. The
 * password must be changed at first login.
 */
@Injectable()
export class FirstAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstAdmin');

  constructor(
    private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly audit: AuditLog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_USERNAME: username, ADMIN_PASSWORD: password } = this.config;
    if (!username || !password) return;
    const created = await createFirstAdmin(this.db, this.users, this.audit, username, password);
    if (created) this.logger.log(`created the first admin "${username}"`);
  }
}

/** Returns false when an active admin already exists (nothing is changed then). */
export async function createFirstAdmin(
  db: DataSource,
  users: UsersService,
  audit: AuditLog,
  username: string,
  password: string,
): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (m) => {
    // Serializes concurrent starts of several API processes.
    // Raw SQL for the advisory lock and the array test on roles, which the query builder has no form for.
    await m.query('SELECT pg_advisory_xact_lock(7241002)');
    const [{ n }] = (await m.query(`SELECT count(*)::int AS n FROM users WHERE 'admin' = ANY(roles) AND active`)) as {
      n: number;
    }[];
    if (n > 0) return false;
    const user = await users.insert(m, {
      username,
      displayName: 'Administrator',
      roles: ['admin'],
      passwordHash,
      mustChangePassword: true,
    });
    await audit.record(
      m,
      { ip: null, requestId: null },
      { action: 'create', entityType: 'user', entityId: user.id, summary: { roles: ['admin'], via: 'bootstrap' } },
    );
    return true;
  });
}
