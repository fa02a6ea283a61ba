import { TestDatabases } from '@backstage/backend-test-utils';
import { databaseNow, databaseNowPlus, timestampOf } from './index';

jest.setTimeout(60_000);

describe('database clock', () => {
  const databases = TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
  });

  it.each(databases.eachSupportedId())(
    'writes and compares times by the database clock on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.schema.createTable('leases', table => {
        table.string('id').primary();
        table.timestamp('expires_at', { useTz: true }).notNullable();
      });
      await knex('leases').insert([
        { id: 'expired', expires_at: databaseNowPlus(knex, -60_000) },
        { id: 'live', expires_at: databaseNowPlus(knex, 60_000) },
      ]);
      const live = await knex('leases')
        .where('expires_at', '>', databaseNow(knex))
        .select('id', 'expires_at');
      expect(live.map(row => row.id)).toEqual(['live']);
      const expiresInMs =
        timestampOf(live[0].expires_at).getTime() - Date.now();
      expect(expiresInMs).toBeGreaterThan(50_000);
      expect(expiresInMs).toBeLessThanOrEqual(60_000);
    },
  );

  it('reads SQLite CURRENT_TIMESTAMP text as UTC', () => {
    expect(timestampOf('2026-12-04 10:00:00').toISOString()).toBe(
      '2026-12-04T10:00:00.000Z',
    );
    expect(timestampOf('2026-12-04T10:00:00+01:00').toISOString()).toBe(
      '2026-12-04T09:00:00.000Z',
    );
  });
});
