import { DataSource } from 'typeorm';
import { databaseOptions } from './database-options';

/**
 * Two database roles (issue 11, item 8): migrations run as the owner of the
 * schema (MIGRATION_DATABASE_URL); the service runs as a role that owns
 * nothing (DATABASE_URL). Only an owner (or a superuser) can ALTER TABLE ...
 * DISABLE TRIGGER, so the service's credentials cannot switch off the audit
 * log's append-only trigger.
 */

/** The role a postgres:// URL logs in as ('' when the URL names none). */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/**
 * What the runtime role may do, granted again after every migration run so
 * that new tables are covered: read and write rows; never change the
 * migration history; never delete audit entries or touch a checkpoint once
 * written (the append-only triggers refuse it too, even to the owner).
 */
export async function grantRuntimeRole(db: Pick<DataSource, 'query'>, role: string): Promise<void> {
  const r = `"${role.replaceAll('"', '""')}"`;
  await db.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
  await db.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`);
  await db.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
  await db.query(`REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM ${r}`);
  await db.query(`REVOKE DELETE ON audit_events FROM ${r}`);
  await db.query(`REVOKE UPDATE, DELETE ON audit_checkpoints FROM ${r}`);
}

/**
 * Runs pending migrations as the owner, then grants the runtime role its
 * rights (nothing to grant when both URLs name the same role, as in a
 * single-role setup).
 */
export async function migrate(ownerUrl: string, runtimeUrl: string): Promise<void> {
  const owner = new DataSource(databaseOptions(ownerUrl, { poolSize: 1 }));
  await owner.initialize();
  try {
    await owner.runMigrations({ transaction: 'each' });
    const runtime = roleOf(runtimeUrl);
    if (runtime && runtime !== roleOf(ownerUrl)) await grantRuntimeRole(owner, runtime);
  } finally {
    await owner.destroy();
  }
}
