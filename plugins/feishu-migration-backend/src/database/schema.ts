import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { connectMigratedDatabase } from '@internal/backend-database';

/**
 * The database schema's Knex changes, in `schema/` (not "migrations": in this plugin a migration is a job
 * that moves Feishu documents). The table Knex records them in keeps its first name.
 */
export const SCHEMA_CHANGES = {
  directory: resolvePackagePath(
    '@internal/plugin-feishu-migration-backend',
    'schema',
  ),
  tableName: 'feishu_migration_knex_migrations',
};

export async function upgradeFeishuMigrationSchema(knex: Knex): Promise<void> {
  await knex.migrate.latest(SCHEMA_CHANGES);
}

/** The plugin's Knex client, migrated unless the deployment manages migrations itself. */
export const connectFeishuMigrationDatabase = (
  database: DatabaseService,
): Promise<Knex> => connectMigratedDatabase(database, SCHEMA_CHANGES);
