import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { notificationService } from '@backstage/plugin-notifications-node';
import searchBackend from '@backstage/plugin-search-backend';
import searchModuleCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import securityPlugin, {
  securityCatalogRulesModule,
} from '@internal/plugin-security-backend';
import searchModulePortal from '@internal/plugin-search-backend-module-portal';
import { dropDatabasesWithPrefix, TEST_POSTGRES } from '@internal/test-utils';
import { permissionsViaSecurityPolicy } from '../__testUtils__/permissionsViaSecurityPolicy';

const CATALOG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: engineering }
spec: { type: department, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: contractors-northwind }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: rafael-ortiz }
spec: { memberOf: [contractors-northwind] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: nina-berg }
spec: { memberOf: [engineering] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: payment-gateway, description: Card settlement and payouts }
spec: { type: service, lifecycle: production, owner: engineering, providesApis: [payment-api] }
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: { name: payment-api, description: Card settlement API }
spec: { type: openapi, lifecycle: production, owner: engineering, definition: "openapi: 3.0.0" }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: usage-metering, description: Metered usage settlement for invoices }
spec: { type: service, lifecycle: experimental, owner: contractors-northwind }
`;

/** Doc pages as the TechDocs collator makes them: each readable as its entity is. */
const DOC_PAGES = [
  {
    title: 'Payment gateway settlement runbook',
    text: 'How settlement files are reconciled each night.',
    location: '/docs/default/component/payment-gateway/runbook/',
    kind: 'component',
    namespace: 'default',
    name: 'payment-gateway',
    owner: 'engineering',
    authorization: { resourceRef: 'component:default/payment-gateway' },
  },
  {
    title: 'Usage metering settlement',
    text: 'How metered usage reaches the settlement of invoices.',
    location: '/docs/default/component/usage-metering/',
    kind: 'component',
    namespace: 'default',
    name: 'usage-metering',
    owner: 'contractors-northwind',
    authorization: { resourceRef: 'component:default/usage-metering' },
  },
];

const docsCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'test-docs',
  register(env) {
    env.registerInit({
      deps: {
        indexRegistry: searchIndexRegistryExtensionPoint,
        scheduler: coreServices.scheduler,
      },
      async init({ indexRegistry, scheduler }) {
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner({
            frequency: { minutes: 10 },
            timeout: { minutes: 1 },
            initialDelay: { seconds: 1 },
          }),
          factory: {
            type: 'techdocs',
            visibilityPermission: catalogEntityReadPermission,
            getCollator: async () => Readable.from(DOC_PAGES),
          },
        });
      },
    });
  },
});

jest.setTimeout(180_000);

/** Each plugin in a database of its own, as production runs them. */
const PREFIX = `search_permissions_${process.pid}_`;

describe('search through the security policy on PostgreSQL', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-permissions-'));
  const catalogFile = path.join(dir, 'catalog.yaml');
  fs.writeFileSync(catalogFile, CATALOG);
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        securityCatalogRulesModule,
        securityPlugin,
        searchBackend,
        searchModuleCatalogCollator,
        searchModulePortal,
        docsCollator,
        permissionsViaSecurityPolicy,
        schedulerServiceFactory,
        databaseServiceFactory,
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: {
                client: 'pg',
                connection: TEST_POSTGRES,
                prefix: PREFIX,
              },
            },
            permission: { enabled: true },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [
                { allow: ['Component', 'API', 'Group', 'User', 'Location'] },
              ],
              locations: [{ type: 'file', target: catalogFile }],
            },
            search: { portal: { catalogCheckSeconds: 1 } },
            security: {
              roleCacheSeconds: 1,
              trustedOrgSources: [`file:${catalogFile}`],
              roles: [
                { group: 'group:default/engineering', role: 'developer' },
                {
                  group: 'group:default/contractors-northwind',
                  role: 'contractor-developer',
                },
              ],
              contractorPolicy: {
                accessBoundaries: {
                  restrictedServices: ['component:default/payment-gateway'],
                },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await dropDatabasesWithPrefix(PREFIX);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const as = (user: string) =>
    mockCredentials.user.header(`user:default/${user}`);
  const get = (user: string, route: string, query: object) =>
    request(server)
      .get(`/api/search${route}`)
      .query(query)
      .set('authorization', as(user));
  const locations = async (user: string, term: string) =>
    ((await get(user, '/query', { term })).body.results ?? []).map(
      (r: { document: { location: string } }) => r.document.location,
    );
  const catalogNames = async (user: string) =>
    (
      await request(server)
        .get('/api/catalog/entities/by-query')
        .query({ filter: ['kind=component', 'kind=api'] })
        .set('authorization', as(user))
    ).body.items.map((e: { metadata: { name: string } }) => e.metadata.name);

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean) {
    const deadline = Date.now() + 90_000;
    let value = await read();
    while (!done(value) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 500));
      value = await read();
    }
    return value;
  }

  it('an employee finds the restricted service, its API and its docs; a contractor none of them, in results, suggestions or counts', async () => {
    const employee = await until(
      () => locations('nina-berg', 'settlement'),
      found => found.length >= 5,
    );
    expect(employee).toEqual(
      expect.arrayContaining([
        '/catalog/default/component/payment-gateway',
        '/catalog/default/api/payment-api',
        '/docs/default/component/payment-gateway/runbook/',
        '/catalog/default/component/usage-metering',
        '/docs/default/component/usage-metering/',
      ]),
    );
    expect(
      (await get('nina-berg', '/suggestions', { term: 'paymnt gatway' })).body
        .suggestions,
    ).toContain('payment-gateway');

    const contractorCatalog = await catalogNames('rafael-ortiz');
    expect(contractorCatalog).not.toContain('payment-gateway');
    const contractor = await locations('rafael-ortiz', 'settlement');
    expect(contractor).toContain('/catalog/default/component/usage-metering');
    expect(contractor).toContain('/docs/default/component/usage-metering/');
    for (const location of contractor) {
      expect(location).not.toMatch(/payment/);
    }
    // Whatever the contractor finds of the catalog, the catalog shows them too.
    for (const location of contractor.filter((l: string) =>
      l.startsWith('/catalog/'),
    )) {
      expect(contractorCatalog).toContain(location.split('/').pop());
    }

    const suggestions = (
      await get('rafael-ortiz', '/suggestions', { term: 'paymnt gatway' })
    ).body.suggestions as string[];
    expect(suggestions.filter(s => /payment/i.test(s))).toEqual([]);

    const { facets } = (
      await get('rafael-ortiz', '/facets', { term: 'settlement' })
    ).body;
    const counted = Object.values(
      facets.resultType as Record<string, number>,
    ).reduce((sum, n) => sum + n, 0);
    expect(counted).toBe(contractor.length);
    expect(facets.owner.engineering ?? 0).toBe(0);
    const employeeFacets = (
      await get('nina-berg', '/facets', { term: 'settlement' })
    ).body.facets;
    expect(employeeFacets.owner.engineering).toBeGreaterThanOrEqual(3);
  });
});
