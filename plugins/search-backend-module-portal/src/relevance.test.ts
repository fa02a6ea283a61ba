import request from 'supertest';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import searchBackend from '@backstage/plugin-search-backend';
import searchModuleCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import {
  demoDocPages,
  demoEntities,
  docPagesCollator,
} from './__testUtils__/demoCorpus';
import { searchModulePortal } from './module';

jest.setTimeout(180_000);

/**
 * Questions as people type them into the search box, in our own words (not the entities' text), and
 * where the answer is: an entity, or a docs page (any section of it).
 */
const QUESTIONS: Array<{ query: string; answer: string }> = [
  { query: 'void a customer bill', answer: '/catalog/default/api/invoice-api' },
  {
    query: 'dunning overdue invoices',
    answer: '/catalog/default/component/invoice-service',
  },
  {
    query: 'VAT calculation',
    answer: '/catalog/default/component/tax-calculator',
  },
  { query: 'invoice pdf', answer: '/catalog/default/component/pdf-renderer' },
  {
    query: 'send receipt emails',
    answer: '/catalog/default/component/notification-worker',
  },
  {
    query: 'usage based plans',
    answer: '/catalog/default/component/usage-metering',
  },
  {
    query: 'ageing report finance',
    answer: '/catalog/default/component/reporting-service',
  },
  {
    query: 'stripe adyen card payments',
    answer: '/catalog/default/component/payment-gateway',
  },
  {
    query: 'double entry bookkeeping',
    answer: '/catalog/default/component/ledger-service',
  },
  { query: 'fraud risk', answer: '/catalog/default/component/fraud-screening' },
  {
    query: 'customer webhooks retries',
    answer: '/catalog/default/component/webhook-dispatcher',
  },
  {
    query: 'pay invoices on my phone',
    answer: '/catalog/default/component/quillstack-mobile',
  },
  { query: 'oauth token', answer: '/catalog/default/api/auth-api' },
  {
    query: 'api keys rate limit',
    answer: '/catalog/default/component/api-gateway',
  },
  {
    query: 'refund a payment api',
    answer: '/catalog/default/api/payments-api',
  },
  {
    query: 'who owns the ledger and payments',
    answer: '/catalog/default/group/team-payments',
  },
  {
    query: 'card tokens database',
    answer: '/catalog/default/resource/payments-db',
  },
  {
    query: 'outbox lag alert',
    answer: '/docs/default/component/invoice-service/runbook/',
  },
  {
    query: 'stripe webhook failing',
    answer: '/docs/default/component/payment-gateway/runbook/',
  },
  {
    query: 'partial refund',
    answer: '/docs/default/component/payment-gateway/refunds/',
  },
  {
    query: 'feature flags web app',
    answer: '/docs/default/component/customer-web/',
  },
  {
    query: 'new go service template',
    answer: '/catalog/default/template/go-service',
  },
];

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const ENGINES: Record<string, string> = {
  POSTGRES_15: 'PostgreSQL engine',
  SQLITE_3: 'development (in-memory) engine',
};

describe.each(databases.eachSupportedId())('relevance on %s', databaseId => {
  const entities = demoEntities();
  const pages = demoDocPages(entities);
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const knex = await databases.init(databaseId);
    const backend = await startTestBackend({
      features: [
        searchBackend,
        searchModuleCatalogCollator,
        searchModulePortal,
        docPagesCollator(() => pages),
        schedulerServiceFactory,
        mockServices.database.factory({ knex }),
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalogServiceMock({ entities }),
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop();
  });

  const top5 = async (query: string) => {
    const res = await request(server)
      .get('/api/search/query')
      .query({ term: query, pageLimit: 5 });
    return res.body.results.map(
      (r: { document: { location: string } }) => r.document.location,
    ) as string[];
  };

  it('answers the evaluation questions: recall@5 at least 0.9', async () => {
    // Both indexes in: a catalog entity and a docs page are found.
    const deadline = Date.now() + 60_000;
    const indexed = async () =>
      (await top5('ledger-service')).some(l => l.startsWith('/catalog/')) &&
      (await top5('outbox')).some(l => l.startsWith('/docs/'));
    while (!(await indexed()) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    let found = 0;
    let reciprocalRanks = 0;
    const missed: string[] = [];
    for (const { query, answer } of QUESTIONS) {
      const results = await top5(query);
      const rank = results.findIndex(location => location.startsWith(answer));
      if (rank >= 0) {
        found++;
        reciprocalRanks += 1 / (rank + 1);
      } else {
        missed.push(`${query} → ${results.join(', ') || 'nothing'}`);
      }
    }
    const recall = found / QUESTIONS.length;
    const mrr = reciprocalRanks / QUESTIONS.length;
    // eslint-disable-next-line no-console
    console.log(
      `${ENGINES[databaseId]}: ${QUESTIONS.length} questions over ${
        entities.length
      } entities and ${pages.length} doc pages: recall@5 ${recall.toFixed(
        2,
      )}, MRR ${mrr.toFixed(2)}${
        missed.length ? `\n  missed: ${missed.join('\n  missed: ')}` : ''
      }`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });
});
