import { DomainEvents } from '../src/core/events/domain-events';
import 'reflect-metadata';
import { AuditLog } from '../src/audit/audit.service';
import { createFirstAdmin } from '../src/auth/first-admin';
import { MIN_PASSWORD_LENGTH } from '../src/directory/passwords';
import { UsersService } from '../src/directory/users.service';
import { openScriptDatabase, reportScriptError } from './seed-demo';

/**
 * `npm run user:create-admin` (README, "Creating the first admin"): create an
 * admin from ADMIN_USERNAME and ADMIN_PASSWORD when no active admin exists.
 * Prompts for nothing; run it with the service's environment so that it
 * reaches the same database. The password must be changed at first login.
 */
async function main(): Promise<number> {
  const username = process.env.ADMIN_USERNAME;
  const password = process.env.ADMIN_PASSWORD;
  // Checked before anything starts, so a typo does not boot a local database first.
  if (!username || !password) {
    console.error(
      `user:create-admin: set ADMIN_USERNAME and ADMIN_PASSWORD (at least ${MIN_PASSWORD_LENGTH} characters)`,
    );
    return 1;
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    console.error(`user:create-admin: ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`);
    return 1;
  }

  // The configuration validates ADMIN_USERNAME's form too.
  const { config, db, where } = await openScriptDatabase(process.env);
  try {
    const audit = new AuditLog();
    const created = await createFirstAdmin(
      db,
      new UsersService(db, audit, DomainEvents.withoutHandlers()),
      audit,
      username,
      password,
    );
    console.log(
      created
        ? `Created the admin "${config.ADMIN_USERNAME}" in ${where}; the password must be changed at first login`
        : `An active admin already exists in ${where}; nothing was changed`,
    );
    return 0;
  } finally {
    await db.destroy();
  }
}

// process.exit also stops an embedded PostgreSQL this script started.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    reportScriptError('user:create-admin', error);
    process.exit(1);
  },
);
