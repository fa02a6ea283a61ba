import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Whether the Knex client talks to PostgreSQL (production) rather than SQLite (the embedded development default). */
export function isPostgres(knex: Knex): boolean {
  return /^(pg|postgres)/.test(String(knex.client.config.client));
}

/**
 * The database's clock, so that replicas whose clocks disagree agree on when a lease or a grant expires.
 * SQLite is the embedded development database of a single process, whose clock is the only one.
 */
export function databaseNow(knex: Knex): Knex.Raw | Date {
  return isPostgres(knex) ? knex.raw('now()') : new Date();
}

/** The database's clock plus some milliseconds. */
export function databaseNowPlus(knex: Knex, ms: number): Knex.Raw | Date {
  return isPostgres(knex)
    ? knex.raw(`now() + (? * interval '1 millisecond')`, [ms])
    : new Date(Date.now() + ms);
}

/**
 * A timestamp column as a Date: PostgreSQL returns a Date; SQLite returns epoch milliseconds for a Date
 * written by Knex, or UTC text without a zone for CURRENT_TIMESTAMP.
 */
export function timestampOf(value: Date | string | number): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  return new Date(
    /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`,
  );
}

/** Where a plugin's Knex migrations are and the table Knex records them in. */
export interface PluginMigrations {
  directory: string;
  tableName: string;
}

/** The plugin's Knex client, its migrations applied unless the deployment manages migrations itself. */
export async function connectMigratedDatabase(
  database: DatabaseService,
  migrations: PluginMigrations,
): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await knex.migrate.latest(migrations);
  }
  return knex;
}
