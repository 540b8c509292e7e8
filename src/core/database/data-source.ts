import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseOptions } from './database-options';

/**
 * Entry point for the TypeORM CLI (`npm run migration:*`). It reads only
 * DATABASE_URL; the service itself builds its DataSource from the validated
 * configuration.
 */
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL is required for the migration commands (npm start runs pending migrations by itself)');
}

export default new DataSource(databaseOptions(url));
