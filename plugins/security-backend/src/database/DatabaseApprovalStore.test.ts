import { TestDatabases } from '@backstage/backend-test-utils';
import { migrateSecurityDatabase } from './migrations';
import { DatabaseApprovalStore } from './DatabaseApprovalStore';

jest.setTimeout(60_000);

describe('DatabaseApprovalStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function migrated(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    await migrateSecurityDatabase(knex);
    return knex;
  }

  it.each(databases.eachSupportedId())(
    'approvals inbox: found through the approvers table, newest first, a page at a time (%s)',
    async id => {
      const knex = await migrated(id);
      let clock = Date.parse('2026-11-01T00:00:00Z');
      const store = new DatabaseApprovalStore(
        knex,
        () => new Date((clock += 60_000)),
      );
      for (let i = 0; i < 7; i++) {
        await store.create({
          action: 'n8n.run',
          entityRef: `component:default/service-${i}`,
          requestedBy: 'user:default/rafael-ortiz',
          justification: `run ${i}`,
          approvers:
            i % 2
              ? ['Group:default/Team-Billing']
              : ['group:default/team-payments'],
          expiresAt: new Date('2027-01-01T00:00:00Z'),
        });
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({
          approverAnyOf: ['group:default/team-billing', 'user:default/erik'],
          limit: 2,
          cursor,
        });
        seen.push(...page.items.map(r => r.entityRef.split('/')[1]));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['service-5', 'service-3', 'service-1']);
      const mine = await store.list({
        requestedBy: 'user:default/rafael-ortiz',
        limit: 5,
      });
      expect(mine.items).toHaveLength(5);
      expect(mine.nextCursor).toBeDefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'approvals: decide once, consume once, expire (%s)',
    async id => {
      const knex = await migrated(id);
      let now = new Date('2026-11-23T10:00:00Z');
      const store = new DatabaseApprovalStore(knex, () => now);
      const grant = {
        requestedBy: 'user:default/rafael-ortiz',
        action: 'n8n.run' as const,
        entityRef: 'component:default/usage-metering',
      };
      const request = await store.create({
        ...grant,
        justification: 'rerun the import',
        approvers: ['group:default/team-billing'],
        expiresAt: new Date('2026-11-24T10:00:00Z'),
      });
      expect(request.status).toBe('pending');
      expect(await store.consume(grant)).toBeUndefined();

      const approved = await store.decide(request.id, {
        status: 'approved',
        decidedBy: 'user:default/erik-larsen',
        reason: 'ok',
      });
      expect(approved?.status).toBe('approved');
      expect(
        await store.decide(request.id, {
          status: 'denied',
          decidedBy: 'user:default/erik-larsen',
          reason: 'no',
        }),
      ).toBeUndefined();

      expect(
        (
          await store.list({
            approverAnyOf: ['group:default/team-billing'],
            statuses: ['approved'],
            limit: 10,
          })
        ).items,
      ).toHaveLength(1);
      expect(
        (
          await store.list({
            approverAnyOf: ['group:default/team-payments'],
            limit: 10,
          })
        ).items,
      ).toHaveLength(0);

      expect(
        await store.consume({
          ...grant,
          entityRef: 'component:default/reporting-service',
        }),
      ).toBeUndefined();
      expect((await store.consume(grant))?.status).toBe('consumed');
      expect(await store.consume(grant)).toBeUndefined();

      const late = await store.create({
        ...grant,
        justification: 'again',
        approvers: ['group:default/team-billing'],
        expiresAt: new Date('2026-11-23T11:00:00Z'),
      });
      now = new Date('2026-11-23T12:00:00Z');
      expect(
        await store.decide(late.id, {
          status: 'approved',
          decidedBy: 'user:default/erik-larsen',
          reason: 'ok',
        }),
      ).toBeUndefined();
      expect(await store.expire()).toBe(1);
      expect((await store.get(late.id))?.status).toBe('expired');
    },
  );

  it.each(databases.eachSupportedId())(
    'approvals: of 20 concurrent consumers exactly one gets the grant (%s)',
    async id => {
      const knex = await migrated(id);
      const store = new DatabaseApprovalStore(knex);
      const grant = {
        requestedBy: 'user:default/rafael-ortiz',
        action: 'deployment.sync' as const,
        entityRef: 'component:default/usage-metering',
      };
      const request = await store.create({
        ...grant,
        justification: 'hotfix',
        approvers: ['group:default/team-billing'],
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      await store.decide(request.id, {
        status: 'approved',
        decidedBy: 'user:default/erik-larsen',
        reason: 'ok',
      });
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.consume(grant)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.get(request.id))?.status).toBe('consumed');
    },
  );
});
