/* eslint-disable jest/no-export -- this module is the shared test suite that plugins call, not a test file */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';

/** Where a plugin's Knex migrations are, and the table Knex records them in. */
export interface MigrationsConfig {
  directory: string;
  tableName: string;
}

/** Every table of the test database with its column names. */
export async function schemaOf(knex: Knex): Promise<Record<string, string[]>> {
  const tables: string[] = knex.client.config.client.includes('sqlite')
    ? (
        await knex('sqlite_master')
          .where({ type: 'table' })
          .whereNot('name', 'like', 'sqlite_%')
          .select('name')
      ).map(r => r.name)
    : (
        await knex('pg_tables')
          .whereRaw('schemaname = current_schema()')
          .select('tablename')
      ).map(r => r.tablename);
  const schema: Record<string, string[]> = {};
  for (const table of tables.sort()) {
    schema[table] = Object.keys(await knex(table).columnInfo()).sort();
  }
  return schema;
}

/**
 * The migrations test every backend plugin has: on PostgreSQL and SQLite, every migration runs up and
 * down one at a time, each step down restores the tables and columns as they were before that step, and
 * the latest schema has the tables the plugin's stores use.
 */
export function describeMigrations(
  name: string,
  config: MigrationsConfig,
  expectedTables: string[],
) {
  describe(`${name} database migrations`, () => {
    const databases = TestDatabases.create({
      ids: ['POSTGRES_15', 'SQLITE_3'],
    });
    const bookkeeping = [config.tableName, `${config.tableName}_lock`].sort();

    it.each(databases.eachSupportedId())(
      'every migration runs up and down one at a time, leaving nothing behind (%s)',
      async id => {
        const knex = await databases.init(id);
        const [, pending] = await knex.migrate.list(config);
        expect(pending.length).toBeGreaterThan(0);
        const before = await schemaOf(knex);
        const after: Array<Record<string, string[]>> = [];
        for (let i = 0; i < pending.length; i++) {
          await knex.migrate.up(config);
          after.push(await schemaOf(knex));
        }
        expect(Object.keys(after.at(-1)!)).toEqual(
          expect.arrayContaining(expectedTables),
        );
        for (let i = pending.length - 1; i >= 0; i--) {
          await knex.migrate.down(config);
          expect(await schemaOf(knex)).toEqual(i > 0 ? after[i - 1] : before);
        }
        expect(Object.keys(before).sort()).toEqual(bookkeeping);
        await knex.migrate.latest(config);
        expect(await schemaOf(knex)).toEqual(after.at(-1));
      },
      60_000,
    );
  });
}
