import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { filterSensitiveContent } from '@internal/plugin-security-node';
import { MIGRATIONS } from '../database/migrations';
import { DatabaseChunkStore } from './DatabaseChunkStore';
import { RetrievalIndexer } from './RetrievalIndexer';
import { TechDocsIndexClient } from './TechDocsIndexClient';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const component = (name: string, description: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    description,
    annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
});

describe('RetrievalIndexer', () => {
  it.each(databases.eachSupportedId())(
    'reads the docs of a new or changed entity in the catalog pass, and only then (%p)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest(MIGRATIONS);
      const store = new DatabaseChunkStore(knex, {});
      const reads: string[] = [];
      let docsAnswer: 'published' | 'failing' = 'failing';
      const techdocs = {
        sectionsOf: async (ref: { name: string }) => {
          reads.push(ref.name);
          if (docsAnswer === 'failing') {
            throw new Error('TechDocs answered 503');
          }
          return [
            {
              location: 'runbook/',
              title: 'Settlement runbook',
              text: 'Job PAYOUT-RECON-7731 reconciles the nightly payout files.',
            },
          ];
        },
      } as unknown as TechDocsIndexClient;
      const entities = [component('payment-gateway', 'Card payments')];
      const indexer = () =>
        new RetrievalIndexer({
          catalog: catalogServiceMock({ entities }),
          auth: mockServices.auth(),
          techdocs,
          store,
          chunkTokens: 350,
          logger: mockServices.logger.mock(),
          filter: async text => filterSensitiveContent(text),
        });
      const search = () =>
        store.search({
          question: 'payout reconciliation job',
          readableRefs: new Set(['component:default/payment-gateway']),
          limit: 5,
        });

      // TechDocs failing does not keep the entity out of the index.
      expect(await indexer().indexCatalog()).toMatchObject({ changed: 1 });
      expect(reads).toEqual(['payment-gateway']);
      expect((await search()).map(c => c.url)).not.toContain(
        '/docs/default/component/payment-gateway/runbook/',
      );

      // An unchanged entity is not read again; the full docs pass catches up.
      docsAnswer = 'published';
      expect(await indexer().indexCatalog()).toMatchObject({ changed: 0 });
      expect(reads).toEqual(['payment-gateway']);

      // A changed one is, with no full docs pass.
      entities[0] = component('payment-gateway', 'Card payments and payouts');
      expect(await indexer().indexCatalog()).toMatchObject({ changed: 1 });
      expect(reads).toEqual(['payment-gateway', 'payment-gateway']);
      expect((await search()).map(c => c.url)).toContain(
        '/docs/default/component/payment-gateway/runbook/',
      );
      await knex.destroy();
    },
  );
});
