import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { connectMigratedDatabase } from '@internal/backend-database';

/** Where the Knex migrations are, and the table Knex records them in. */
export const MIGRATIONS = {
  directory: resolvePackagePath(
    '@internal/plugin-security-backend',
    'migrations',
  ),
  tableName: 'security_knex_migrations',
};

export async function migrateSecurityDatabase(knex: Knex): Promise<void> {
  await knex.migrate.latest(MIGRATIONS);
}

/** The plugin's Knex client, migrated unless the deployment manages migrations itself. */
export const connectSecurityDatabase = (
  database: DatabaseService,
): Promise<Knex> => connectMigratedDatabase(database, MIGRATIONS);
