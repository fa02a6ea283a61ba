import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Where the Knex migrations are, and the table Knex records them in (the search database is shared). */
export const MIGRATIONS = {
  directory: resolvePackagePath(
    '@internal/plugin-search-backend-module-portal',
    'migrations',
  ),
  tableName: 'portal_search_knex_migrations',
};

/** The module's Knex client, migrated unless the deployment manages migrations itself. */
export async function connectPortalSearchDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await knex.migrate.latest(MIGRATIONS);
  }
  return knex;
}
