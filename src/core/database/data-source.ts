import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseOptions } from './database-options';

/**
 * Entry point for the TypeORM CLI (`npm run migration:*`). It connects as the
 * owner (MIGRATION_DATABASE_URL, else DATABASE_URL); the service itself
 * builds its DataSource from the validated configuration, and grants the
 * runtime role its rights when it runs the migrations at start.
 */
const url = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL is required for the migration commands (npm start runs pending migrations by itself)');
}

export default new DataSource(databaseOptions(url));
