import { TestDatabases } from '@backstage/backend-test-utils';
import { migrateSecurityDatabase } from './migrations';
import { DatabaseGrantStore } from './DatabaseGrantStore';

jest.setTimeout(60_000);

describe('DatabaseGrantStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function store(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    await migrateSecurityDatabase(knex);
    return new DatabaseGrantStore(knex);
  }

  const grant = (source: string, durationMs = 3_600_000) => ({
    userRef: 'user:default/rafael-ortiz',
    action: 'cost.read' as const,
    entityRef: 'component:default/usage-metering',
    reason: 'quarterly budget review',
    source,
    durationMs,
  });

  it.each(databases.eachSupportedId())(
    'records a source once, lists active grants newest first and ends them on revocation (%s)',
    async id => {
      const grants = await store(id);
      const first = await grants.record(grant('n8n:run:1'));
      expect(first.created).toBe(true);
      const again = await grants.record(grant('n8n:run:1'));
      expect(again).toEqual({ grant: first.grant, created: false });

      const expiresInMs = Date.parse(first.grant.expiresAt) - Date.now();
      expect(expiresInMs).toBeGreaterThan(3_500_000);
      expect(expiresInMs).toBeLessThanOrEqual(3_600_000);

      await grants.record(grant('n8n:run:expired', -1_000));
      const second = await grants.record(grant('n8n:run:2'));
      const active = await grants.list({
        userRef: 'user:default/rafael-ortiz',
        activeOnly: true,
        limit: 10,
      });
      expect(active.map(g => g.source)).toEqual(['n8n:run:2', 'n8n:run:1']);
      const all = await grants.list({ activeOnly: false, limit: 10 });
      expect(all).toHaveLength(3);

      const revoked = await grants.revoke(second.grant.id, {
        revokedBy: 'user:default/alice-nguyen',
        reason: 'review done early',
      });
      expect(revoked).toMatchObject({
        revokedBy: 'user:default/alice-nguyen',
        revokeReason: 'review done early',
      });
      expect(revoked?.revokedAt).toBeDefined();
      // A grant that has ended cannot be revoked again, nor can an expired one.
      expect(
        await grants.revoke(second.grant.id, {
          revokedBy: 'user:default/alice-nguyen',
          reason: 'twice',
        }),
      ).toBeUndefined();
      const expired = all.find(g => g.source === 'n8n:run:expired')!;
      expect(
        await grants.revoke(expired.id, {
          revokedBy: 'user:default/alice-nguyen',
          reason: 'late',
        }),
      ).toBeUndefined();
      expect(
        (
          await grants.list({
            userRef: 'user:default/rafael-ortiz',
            activeOnly: true,
            limit: 10,
          })
        ).map(g => g.source),
      ).toEqual(['n8n:run:1']);
    },
  );
});
