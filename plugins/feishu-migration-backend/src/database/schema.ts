import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

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

/** The plugin's Knex client, its schema upgraded unless the deployment manages schema changes itself. */
export async function connectFeishuMigrationDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await upgradeFeishuMigrationSchema(knex);
  }
  return knex;
}
