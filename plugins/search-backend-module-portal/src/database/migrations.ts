import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { connectMigratedDatabase } from '@internal/backend-database';

/** Where the Knex migrations are, and the table Knex records them in (the search database is shared). */
export const MIGRATIONS = {
  directory: resolvePackagePath(
    '@internal/plugin-search-backend-module-portal',
    'migrations',
  ),
  tableName: 'portal_search_knex_migrations',
};

/** The plugin's Knex client, migrated unless the deployment manages migrations itself. */
export const connectPortalSearchDatabase = (
  database: DatabaseService,
): Promise<Knex> => connectMigratedDatabase(database, MIGRATIONS);
