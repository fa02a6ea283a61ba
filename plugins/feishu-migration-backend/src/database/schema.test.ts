import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { SCHEMA_CHANGES as MIGRATIONS } from './schema';

jest.setTimeout(60_000);

/** Every table of the test database with its column names. */
async function schemaOf(knex: Knex): Promise<Record<string, string[]>> {
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

describe('feishu-migration database schema changes', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const bookkeeping = [MIGRATIONS.tableName, `${MIGRATIONS.tableName}_lock`];

  it.each(databases.eachSupportedId())(
    'every migration runs up and down one at a time, leaving nothing behind (%s)',
    async id => {
      const knex = await databases.init(id);
      const [, pending] = await knex.migrate.list(MIGRATIONS);
      expect(pending.length).toBeGreaterThanOrEqual(3);
      const before = await schemaOf(knex);
      const after: Array<Record<string, string[]>> = [];
      for (let i = 0; i < pending.length; i++) {
        await knex.migrate.up(MIGRATIONS);
        after.push(await schemaOf(knex));
      }
      expect(Object.keys(after.at(-1)!)).toEqual(
        expect.arrayContaining([
          'feishu_migration_jobs',
          'feishu_migration_documents',
          'feishu_migration_files',
        ]),
      );
      for (let i = pending.length - 1; i >= 0; i--) {
        await knex.migrate.down(MIGRATIONS);
        // Each step down restores the schema as it was before that step ran.
        expect(await schemaOf(knex)).toEqual(i > 0 ? after[i - 1] : before);
      }
      expect(Object.keys(before).sort()).toEqual(bookkeeping.sort());
      await knex.migrate.latest(MIGRATIONS);
      expect(await schemaOf(knex)).toEqual(after.at(-1));
    },
  );
});
