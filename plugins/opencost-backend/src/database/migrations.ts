import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { connectMigratedDatabase } from '@internal/backend-database';

/** Where the Knex migrations are, and the table Knex records them in. */
export const MIGRATIONS = {
  directory: resolvePackagePath(
    '@internal/plugin-opencost-backend',
    'migrations',
  ),
  tableName: 'opencost_knex_migrations',
};

/** The plugin's Knex client, migrated unless the deployment manages migrations itself. */
export const connectOpenCostDatabase = (
  database: DatabaseService,
): Promise<Knex> => connectMigratedDatabase(database, MIGRATIONS);
