import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  DEFAULT_CONVERSION_OPTIONS,
  DEFAULT_TARGET_STRUCTURE,
} from '@internal/plugin-feishu-migration-common';
import { DatabaseMigrationStore } from './DatabaseMigrationStore';
import { LeaseLostError } from './MigrationStore';
import { upgradeFeishuMigrationSchema } from './schema';

jest.setTimeout(60_000);

describe('DatabaseMigrationStore leases', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function storeWithJob(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    await upgradeFeishuMigrationSchema(knex);
    const store = new DatabaseMigrationStore(knex);
    const id = `job-${Math.random().toString(36).slice(2)}`;
    await store.createJob(
      {
        id,
        entityRef: 'component:default/invoice-service',
        createdBy: 'user:default/erik-larsen',
        status: 'queued',
        spaceId: 'space',
        spaceName: 'Billing',
        options: DEFAULT_CONVERSION_OPTIONS,
        target: DEFAULT_TARGET_STRUCTURE,
        delivery: 'local-folder',
        destination: '/tmp/nowhere',
        skipped: [],
        documentsTotal: 1,
        createdAt: new Date().toISOString(),
      },
      [
        {
          nodeToken: 'node',
          objToken: 'doc',
          objType: 'docx',
          title: 'Runbook',
          path: 'docs/runbook.md',
          parentNodeToken: '',
          position: 0,
        },
      ],
    );
    return { knex, store, id };
  }

  it.each(databases.eachSupportedId())(
    'a run that lost its job can neither write nor release the new holder’s lease (%s)',
    async databaseId => {
      const { knex, store, id } = await storeWithJob(databaseId);
      const first = (await store.claimJob(id, 'replica-a', 60_000))!;
      expect(first).toBeDefined();
      expect(await store.claimJob(id, 'replica-b', 60_000)).toBeUndefined();

      // The first run's lease runs out and a second run claims the job.
      await knex('feishu_migration_jobs')
        .where({ id })
        .update({ lease_expires_at: new Date(Date.now() - 1_000) });
      const second = (await store.claimJob(id, 'replica-b', 60_000))!;
      expect(second).toBeDefined();

      await expect(first.updateJob({ status: 'converting' })).rejects.toThrow(
        LeaseLostError,
      );
      await expect(
        first.failDocument('node', 'written by a stale run'),
      ).rejects.toThrow(LeaseLostError);
      await expect(
        first.putFile({
          path: 'mkdocs.yml',
          kind: 'config',
          content: Buffer.from('site_name: stale'),
        }),
      ).rejects.toThrow(LeaseLostError);
      await expect(first.assertHeld()).rejects.toThrow(LeaseLostError);
      expect(await first.renew(60_000)).toBe(false);
      await first.release();

      expect(await second.renew(60_000)).toBe(true);
      await second.updateJob({ status: 'converting' });
      expect((await store.getJob(id))!.status).toBe('converting');
      expect((await store.listDocuments(id))[0].status).toBe('pending');
      expect(await store.listFiles(id)).toEqual([]);
      expect(await store.listAbandonedJobs(['converting'])).toEqual([]);

      await second.release();
      expect(await store.listAbandonedJobs(['converting'])).toEqual([id]);
    },
  );

  it('lease times come from the database’s clock, not from a replica whose clock runs ahead', async () => {
    const { knex, store, id } = await storeWithJob('POSTGRES_15');
    const aheadByTenMinutes = new DatabaseMigrationStore(
      knex,
      () => new Date(Date.now() + 10 * 60_000),
    );
    expect(await store.claimJob(id, 'replica-a', 60_000)).toBeDefined();
    expect(
      await aheadByTenMinutes.claimJob(id, 'replica-b', 60_000),
    ).toBeUndefined();
    expect(await aheadByTenMinutes.listAbandonedJobs(['queued'])).toEqual([]);
  });
});
