import { TestDatabases } from '@backstage/backend-test-utils';
import { migrateSecurityDatabase } from './migrations';
import { DatabaseAuditStore } from './DatabaseAuditStore';

jest.setTimeout(60_000);

describe('DatabaseAuditStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function migrated(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    await migrateSecurityDatabase(knex);
    return knex;
  }

  const postgresIds = databases
    .eachSupportedId()
    .filter(([id]) => id.startsWith('POSTGRES'));

  it.each(databases.eachSupportedId())(
    'audit: appends, filters and pages newest first (%s)',
    async id => {
      const knex = await migrated(id);
      let clock = Date.parse('2026-11-01T00:00:00Z');
      const store = new DatabaseAuditStore(
        knex,
        () => new Date((clock += 60_000)),
      );
      for (let i = 0; i < 25; i++) {
        await store.append({
          actorRef:
            i % 2 ? 'user:default/rafael-ortiz' : 'user:default/erik-larsen',
          actorIsContractor: i % 2 === 1,
          action: i % 5 === 0 ? 'deployment.sync' : 'ai.use',
          entityRef: 'component:default/invoice-service',
          outcome: 'succeeded',
          details: { i },
          plugin: 'test',
        });
      }
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.query({
          actorRef: 'user:default/erik-larsen',
          limit: 4,
          cursor,
        });
        seen.push(...page.items.map(r => r.details.i as number));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0]);

      const syncs = await store.query({
        action: 'deployment.sync',
        limit: 100,
      });
      expect(syncs.items).toHaveLength(5);
      const window = await store.query({
        from: new Date('2026-11-01T00:05:30Z'),
        to: new Date('2026-11-01T00:10:30Z'),
        limit: 100,
      });
      expect(window.items).toHaveLength(5);

      await expect(
        store.query({ limit: 10, cursor: 'garbage' }),
      ).rejects.toThrow('cursor is not a cursor');

      const deleted = await store.deleteOlderThan({
        contractorsBefore: new Date('2026-11-01T00:20:00Z'),
        othersBefore: new Date('2026-11-01T00:00:00Z'),
      });
      // Record i was written at 00:(i+1); contractors (odd i) before 00:20 are 1, 3, ..., 17.
      expect(deleted).toBe(9);
      expect((await store.query({ limit: 100 })).items).toHaveLength(16);
    },
  );

  it.each(postgresIds)(
    'audit rows cannot be deleted or truncated, except by retention (%s)',
    async id => {
      const knex = await migrated(id);
      let clock = Date.parse('2026-01-01T00:00:00Z');
      const store = new DatabaseAuditStore(
        knex,
        () => new Date((clock += 86_400_000)),
      );
      for (let i = 0; i < 3; i++) {
        await store.append({
          actorRef: 'user:default/erik-larsen',
          actorIsContractor: false,
          action: 'ai.use',
          outcome: 'succeeded',
          details: { i },
          plugin: 'test',
        });
      }
      await expect(knex('security_audit_events').delete()).rejects.toThrow(
        'append-only',
      );
      await expect(knex.raw('TRUNCATE security_audit_events')).rejects.toThrow(
        'append-only',
      );
      // The setting is local to retention's transaction: afterwards, plain deletes are refused again.
      expect(
        await store.deleteOlderThan({
          contractorsBefore: new Date('2026-01-03T00:00:00Z'),
          othersBefore: new Date('2026-01-03T00:00:00Z'),
        }),
      ).toBe(1);
      await expect(knex('security_audit_events').delete()).rejects.toThrow(
        'append-only',
      );
      expect((await store.query({ limit: 10 })).items).toHaveLength(2);
    },
  );

  it.each(postgresIds)('audit rows cannot be updated (%s)', async id => {
    const knex = await migrated(id);
    const store = new DatabaseAuditStore(knex);
    const record = await store.append({
      actorRef: 'user:default/erik-larsen',
      actorIsContractor: false,
      action: 'ai.use',
      outcome: 'succeeded',
      details: {},
      plugin: 'test',
    });
    await expect(
      knex('security_audit_events')
        .where({ id: record.id })
        .update({ outcome: 'denied' }),
    ).rejects.toThrow('append-only');
  });
});
