import knexFactory from 'knex';

/** The PostgreSQL server tests use (Backstage's TestDatabases variable), for backends with a database prefix. */
export const TEST_POSTGRES =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

/**
 * Drops the databases whose names start with `prefix`: what a backend configured with
 * `backend.database.prefix` made, one per plugin.
 */
export async function dropDatabasesWithPrefix(
  prefix: string,
  connection: string = TEST_POSTGRES,
) {
  const admin = knexFactory({ client: 'pg', connection });
  try {
    const { rows } = await admin.raw(
      'select datname from pg_database where datname like ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.raw('drop database if exists ?? with (force)', [datname]);
    }
  } finally {
    await admin.destroy();
  }
}
