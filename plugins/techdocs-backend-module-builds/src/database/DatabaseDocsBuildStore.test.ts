import { TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseDocsBuildStore } from './DatabaseDocsBuildStore';
import { MIGRATIONS } from './migrations';

jest.setTimeout(60_000);

describe('DatabaseDocsBuildStore', () => {
  const databases = TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
  });

  it.each(databases.eachSupportedId())(
    'keeps a failure until a new build is published, and says when a build is new (%p)',
    async id => {
      const knex = await databases.init(id);
      await knex.migrate.latest(MIGRATIONS);
      const store = new DatabaseDocsBuildStore(knex);
      const ref = 'component:default/ledger-service';

      expect(await store.get(ref)).toBeUndefined();
      await store.failed(ref, 'unpublished', 'No docs yet');
      expect(await store.get(ref)).toMatchObject({
        status: 'unpublished',
        error: 'No docs yet',
      });

      const firstBuild = Date.UTC(2026, 11, 1, 9);
      expect(await store.published(ref, firstBuild)).toBe(true);
      expect(await store.published(ref, firstBuild)).toBe(false);
      expect(await store.get(ref)).toEqual({
        entityRef: ref,
        status: 'built',
        lastAttemptAt: expect.any(String),
        lastSuccessAt: new Date(firstBuild).toISOString(),
      });

      // A failed rebuild: the docs served are still the first build's, and the page says both.
      await store.buildStarted(ref);
      await store.failed(ref, 'failed', 'mkdocs: nav entry missing');
      expect(await store.published(ref, firstBuild)).toBe(false);
      expect(await store.get(ref)).toMatchObject({
        status: 'failed',
        error: 'mkdocs: nav entry missing',
        lastSuccessAt: new Date(firstBuild).toISOString(),
      });
      expect((await store.lastBuildsStarted()).get(ref)).toBeInstanceOf(Date);

      const secondBuild = firstBuild + 3_600_000;
      expect(await store.published(ref, secondBuild)).toBe(true);
      const after = await store.get(ref);
      expect(after).toMatchObject({
        status: 'built',
        lastSuccessAt: new Date(secondBuild).toISOString(),
      });
      expect(after?.error).toBeUndefined();
      await knex.destroy();
    },
  );
});
