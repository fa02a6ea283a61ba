import knexFactory, { Knex } from 'knex';
import { TEST_POSTGRES } from '@internal/test-utils';

/** A connection to one of the cluster's databases (the harness's own, not a replica's). */
export function connect(database: string): Knex {
  return knexFactory({
    client: 'pg',
    connection: `${TEST_POSTGRES.replace(/\/$/, '')}/${database}`,
    pool: { min: 0, max: 4 },
  });
}

/** The databases whose names start with the prefix. */
export async function databasesWithPrefix(prefix: string): Promise<string[]> {
  const admin = connect('postgres');
  try {
    const { rows } = await admin.raw(
      'SELECT datname FROM pg_database WHERE datname LIKE ? ORDER BY datname',
      [`${prefix}%`],
    );
    return rows.map((row: { datname: string }) => row.datname);
  } finally {
    await admin.destroy();
  }
}
