import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

export const MIGRATIONS_DIR = resolvePackagePath(
  '@internal/plugin-security-backend',
  'migrations',
);

export async function migrateSecurityDatabase(knex: Knex): Promise<void> {
  await knex.migrate.latest({
    directory: MIGRATIONS_DIR,
    tableName: 'security_knex_migrations',
  });
}

/** The plugin's Knex client, migrated unless the deployment manages migrations itself. */
export async function connectSecurityDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await migrateSecurityDatabase(knex);
  }
  return knex;
}
