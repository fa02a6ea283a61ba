import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { connectMigratedDatabase } from '@internal/backend-database';

/** Where the Knex migrations are, and the table Knex records them in. */
export const MIGRATIONS = {
  directory: resolvePackagePath(
    '@internal/plugin-ai-assistant-backend',
    'migrations',
  ),
  tableName: 'ai_assistant_knex_migrations',
};

/** The plugin's Knex client, migrated unless the deployment manages migrations itself. */
export const connectAssistantDatabase = (
  database: DatabaseService,
): Promise<Knex> => connectMigratedDatabase(database, MIGRATIONS);
