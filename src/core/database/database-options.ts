import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * The one TypeORM configuration, shared by the application and the migration
 * CLI. Schema changes only ever come from migrations/ (never synchronize).
 */
export function databaseOptions(
  url: string,
  overrides: Partial<{ migrationsRun: boolean; poolSize: number }> = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    migrationsRun: overrides.migrationsRun ?? false,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    // Every timestamptz is read and written in UTC; business time zones are
    // applied explicitly where a rule needs them (fiscal year, office hours).
    extra: {
      max: overrides.poolSize ?? 20,
      connectionTimeoutMillis: 5_000,
      options: '-c TimeZone=UTC -c statement_timeout=30000',
    },
    applicationName: 'tsunagu',
  } as DataSourceOptions;
}
