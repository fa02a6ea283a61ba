import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Where the Knex migrations are, and the table Knex records them in. */
export const MIGRATIONS = {
  directory: resolvePackagePath('@internal/plugin-n8n-backend', 'migrations'),
  tableName: 'n8n_knex_migrations',
};

/** The plugin's Knex client, migrated unless the deployment manages migrations itself. */
export async function connectN8nDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await knex.migrate.latest(MIGRATIONS);
  }
  return knex;
}
