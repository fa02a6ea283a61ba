import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const MIGRATIONS_DIR = resolvePackagePath(
  '@internal/plugin-feishu-migration-backend',
  'migrations',
);

export async function migrateFeishuMigrationDatabase(
  knex: Knex,
): Promise<void> {
  await knex.migrate.latest({
    directory: MIGRATIONS_DIR,
    tableName: 'feishu_migration_knex_migrations',
  });
}

/** The plugin's Knex client, migrated unless the deployment manages migrations itself. */
export async function connectFeishuMigrationDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await migrateFeishuMigrationDatabase(knex);
  }
  return knex;
}
