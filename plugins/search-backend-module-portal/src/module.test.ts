import request from 'supertest';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import { TECHDOCS_PUBLISHED_TOPIC } from '@internal/plugin-techdocs-backend-module-builds';
import { demoEntities, docPagesCollator } from './__testUtils__/demoCorpus';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import searchBackend from '@backstage/plugin-search-backend';
import searchModuleCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import searchModuleTechdocsCollator from '@backstage/plugin-search-backend-module-techdocs';
import { searchModulePortal } from './module';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'portal search on %s',
  databaseId => {
    const entities = demoEntities();
    let server: Parameters<typeof request>[0];
    let stop: () => Promise<void>;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      // The catalog as it is at each call, so a test can add an entity.
      const catalog = new Proxy({} as ReturnType<typeof catalogServiceMock>, {
        get(_, property) {
          const current = catalogServiceMock({ entities });
          const value = Reflect.get(current, property);
          return typeof value === 'function' ? value.bind(current) : value;
        },
      });
      const backend = await startTestBackend({
        features: [
          searchBackend,
          searchModuleCatalogCollator,
          // Nothing serves docs here: the techdocs index stays missing, as on a fresh start.
          searchModuleTechdocsCollator,
          searchModulePortal,
          schedulerServiceFactory,
          mockServices.database.factory({ knex }),
          createServiceFactory({
            service: catalogServiceRef,
            deps: {},
            factory: () => catalog,
          }),
          mockServices.rootConfig.factory({
            data: {
              search: { portal: { catalogCheckSeconds: 1 } },
            },
          }),
        ],
      });
      server = backend.server;
      stop = () => backend.stop();
    });

    afterAll(async () => {
      await stop();
    });

    const search = (query: Record<string, unknown>) =>
      request(server).get('/api/search/query').query(query);

    async function locationsFor(term: string, wanted?: string) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const res = await search({ term });
        expect(res.status).toBe(200);
        const locations: string[] = res.body.results.map(
          (r: { document: { location: string } }) => r.document.location,
        );
        if (!wanted || locations.includes(wanted) || Date.now() > deadline) {
          return locations;
        }
        await new Promise(resolve => setTimeout(resolve, 500));
      }
    }

    it('finds services by name, APIs by their operations, and answers a type not indexed yet with no results instead of a 500', async () => {
      const ledger = await locationsFor(
        'ledger',
        '/catalog/default/component/ledger-service',
      );
      expect(ledger).toContain('/catalog/default/component/ledger-service');
      expect(
        await locationsFor('finalise', '/catalog/default/api/invoice-api'),
      ).toContain('/catalog/default/api/invoice-api');

      const docs = await search({ term: 'ledger', types: ['techdocs'] });
      expect(docs.status).toBe(200);
      expect(docs.body.results).toEqual([]);
      const status = await request(server).get('/api/search/index-status');
      expect(status.body.types).toMatchObject({
        'software-catalog': { indexed: true },
        techdocs: { indexed: false },
      });
    });

    it('suggests the indexed name for a misspelt one', async () => {
      await locationsFor('ledger', '/catalog/default/component/ledger-service');
      const ledgr = await request(server)
        .get('/api/search/suggestions')
        .query({ term: 'ledgr' });
      expect(ledgr.status).toBe(200);
      expect(ledgr.body.suggestions).toContain('ledger-service');
      const invoice = await request(server)
        .get('/api/search/suggestions')
        .query({ term: 'invoce service' });
      expect(invoice.body.suggestions[0]).toBe('invoice-service');
    });

    it('counts facets over what a query matches, and refuses unbounded input with a 400', async () => {
      await locationsFor('ledger', '/catalog/default/component/ledger-service');
      const res = await request(server)
        .get('/api/search/facets')
        .query({ term: 'invoice' });
      expect(res.status).toBe(200);
      const { facets } = res.body;
      expect(facets.kind.Component).toBeGreaterThanOrEqual(1);
      expect(facets.kind.API).toBeGreaterThanOrEqual(1);
      expect(facets.resultType['software-catalog']).toBeGreaterThanOrEqual(2);
      expect(facets.owner['team-billing']).toBeGreaterThanOrEqual(1);

      const narrowed = await request(server)
        .get('/api/search/facets')
        .query({ term: 'invoice', filters: { kind: 'API' } });
      expect(Object.keys(narrowed.body.facets.kind)).toEqual(['API']);

      const long = await request(server)
        .get('/api/search/suggestions')
        .query({ term: 'x'.repeat(101) });
      expect(long.status).toBe(400);
      expect(long.body.error.message).toContain('at most 100');
    });

    it('finds an entity added to the catalog within a minute, without waiting for the next full indexing', async () => {
      await locationsFor('ledger', '/catalog/default/component/ledger-service');
      const started = Date.now();
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'chargeback-desk',
          namespace: 'default',
          etag: 'etag-chargeback-desk',
          description: 'Handles card chargebacks and disputes',
        },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: 'team-billing',
        },
      });
      const found = await locationsFor(
        'chargebacks',
        '/catalog/default/component/chargeback-desk',
      );
      expect(found).toContain('/catalog/default/component/chargeback-desk');
      const seconds = (Date.now() - started) / 1000;
      expect(seconds).toBeLessThan(60);
      // eslint-disable-next-line no-console
      console.log(
        `${databaseId}: a new entity was searchable after ${seconds.toFixed(
          1,
        )} s`,
      );
    });
  },
);

describe('docs freshness', () => {
  it('finds a rebuilt doc within a minute of its publication, without waiting for the next full indexing', async () => {
    const pages = [
      {
        title: 'Runbook',
        text: 'Restart the relay poller.',
        location: '/docs/default/component/invoice-service/runbook/',
        kind: 'component',
        namespace: 'default',
        name: 'invoice-service',
      },
    ];
    let events: EventsService | undefined;
    const eventsProbe = createBackendModule({
      pluginId: 'search',
      moduleId: 'test-events-probe',
      register(env) {
        env.registerInit({
          deps: { service: eventsServiceRef },
          async init({ service }) {
            events = service;
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        searchBackend,
        searchModuleCatalogCollator,
        searchModulePortal,
        docPagesCollator(() => pages),
        eventsProbe,
        schedulerServiceFactory,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalogServiceMock({ entities: [] }),
        }),
      ],
    });
    try {
      const find = async (term: string) =>
        (
          await request(backend.server)
            .get('/api/search/query')
            .query({ term, types: ['techdocs'] })
        ).body.results.length as number;
      const deadline = Date.now() + 30_000;
      while ((await find('poller')) === 0 && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      expect(await find('poller')).toBe(1);
      expect(await find('quarantine')).toBe(0);

      pages[0].text =
        'Quarantine the poison message, then restart the relay poller.';
      const started = Date.now();
      await events!.publish({
        topic: TECHDOCS_PUBLISHED_TOPIC,
        eventPayload: {
          entityRef: 'component:default/invoice-service',
          buildTimestamp: Date.now(),
        },
      });
      while (
        (await find('quarantine')) === 0 &&
        Date.now() - started < 60_000
      ) {
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      const seconds = (Date.now() - started) / 1000;
      expect(await find('quarantine')).toBe(1);
      // eslint-disable-next-line no-console
      console.log(`a rebuilt doc was searchable after ${seconds.toFixed(1)} s`);
    } finally {
      await backend.stop();
    }
  });
});
