import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { notificationService } from '@backstage/plugin-notifications-node';
import securityPlugin, {
  securityCatalogRulesModule,
} from '@internal/plugin-security-backend';
import aiAssistantPlugin from '@internal/plugin-ai-assistant-backend';
import {
  ChatEvent,
  parseChatEvent,
} from '@internal/plugin-ai-assistant-common';
import { SANDBOX_CREDENTIALS, startModelEmulator } from '@internal/sandbox';
import { dropDatabasesWithPrefix, TEST_POSTGRES } from '@internal/test-utils';
import { permissionsViaSecurityPolicy } from '../__testUtils__/permissionsViaSecurityPolicy';

/** Words only the restricted service's entity and docs contain: none may reach a contractor. */
const RESTRICTED = [
  'Card settlement and payouts',
  'PAYOUT-RECON-7731',
  'nightly payout reconciliation',
];

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
metadata:
  name: payment-gateway
  description: Card settlement and payouts through Stripe
  annotations: { backstage.io/techdocs-ref: 'dir:.' }
spec: { type: service, lifecycle: production, owner: engineering, providesApis: [payment-api] }
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: { name: payment-api, description: Card settlement and payouts API }
spec: { type: openapi, lifecycle: production, owner: engineering, definition: "openapi: 3.0.0" }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: checkout-web, description: The checkout pages customers pay on }
spec: { type: website, lifecycle: production, owner: contractors-northwind, dependsOn: ['component:payment-gateway'] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: usage-metering
  description: Metered usage settlement for invoices
  annotations: { backstage.io/techdocs-ref: 'dir:.' }
spec: { type: service, lifecycle: experimental, owner: contractors-northwind }
`;

const DOCS: Record<
  string,
  Array<{ location: string; title: string; text: string }>
> = {
  'payment-gateway': [
    {
      location: 'runbook/',
      title: 'Settlement runbook',
      text: 'The nightly payout reconciliation matches settlement files; job PAYOUT-RECON-7731 reports mismatches.',
    },
  ],
  'usage-metering': [
    {
      location: '',
      title: 'Usage metering settlement',
      text: 'Metered usage reaches the settlement of invoices at the end of each month.',
    },
  ],
};

/** TechDocs' search index of the two services, as the techdocs backend serves it. */
const techdocs = createBackendPlugin({
  pluginId: 'techdocs',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = express.Router();
        router.get(
          '/static/docs/default/component/:name/search/search_index.json',
          (req, res) => {
            res.json({ docs: DOCS[req.params.name] ?? [] });
          },
        );
        httpRouter.use(router);
      },
    });
  },
});

jest.setTimeout(240_000);

const PREFIX = `ai_permissions_${process.pid}_`;

const sse = (body: string): ChatEvent[] =>
  body
    .split('\n\n')
    .filter(block => block.startsWith('event: '))
    .map(block => {
      const [event, data] = block.split('\n');
      return parseChatEvent(event.slice(7), data.slice(6))!;
    });

describe('the AI assistant through the security policy on PostgreSQL', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-permissions-'));
  const catalogFile = path.join(dir, 'catalog.yaml');
  fs.writeFileSync(catalogFile, CATALOG);
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;
  let model: Awaited<ReturnType<typeof startModelEmulator>>;

  beforeAll(async () => {
    model = await startModelEmulator();
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        securityCatalogRulesModule,
        securityPlugin,
        aiAssistantPlugin,
        techdocs,
        permissionsViaSecurityPolicy,
        actionsServiceFactory,
        actionsRegistryServiceFactory,
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
              baseUrl: 'http://localhost:7007',
              database: {
                client: 'pg',
                connection: TEST_POSTGRES,
                prefix: PREFIX,
              },
              actions: { pluginSources: ['catalog'] },
            },
            permission: { enabled: true },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [
                { allow: ['Component', 'API', 'Group', 'User', 'Location'] },
              ],
              locations: [{ type: 'file', target: catalogFile }],
            },
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
                  allowedIntegrations: ['ai-assistant'],
                },
              },
            },
            aiAssistant: {
              providers: [
                {
                  id: 'sandbox',
                  baseUrl: `${model.url}/v1`,
                  apiKey: SANDBOX_CREDENTIALS.llmApiKey,
                  model: 'gpt-4o-mini',
                },
              ],
              toolPlugins: ['catalog'],
              // The test asks again and again while the index fills.
              requestsPerMinute: 1000,
              retrieval: { catalogCheckSeconds: 1 },
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
    await model?.stop();
    await dropDatabasesWithPrefix(PREFIX);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const as = (user: string) =>
    mockCredentials.user.header(`user:default/${user}`);
  const chat = async (user: string, body: object) => {
    const res = await request(server)
      .post('/api/ai-assistant/chat')
      .set('authorization', as(user))
      .send(body)
      .buffer(true)
      .parse((response, callback) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', chunk => (text += chunk));
        response.on('end', () => callback(null, text));
      });
    return {
      status: res.status,
      body: res.body as string,
      events: sse(res.body),
    };
  };
  const sourcesOf = (events: ChatEvent[]) =>
    events.flatMap(e => (e.type === 'sources' ? e.sources : []));

  it('an employee is told about the restricted service; a contractor never is, in sources, tokens, tool results or the prompt', async () => {
    const question = {
      question:
        'How does the nightly settlement of card payouts get reconciled?',
    };
    // The index fills a few seconds after start (catalog processing, then indexing).
    let employee = await chat('nina-berg', question);
    const deadline = Date.now() + 120_000;
    while (
      !sourcesOf(employee.events).some(s =>
        s.url.includes('payment-gateway/runbook'),
      ) &&
      Date.now() < deadline
    ) {
      await new Promise(resolve => setTimeout(resolve, 1000));
      employee = await chat('nina-berg', question);
    }
    expect(sourcesOf(employee.events).map(s => s.url)).toEqual(
      expect.arrayContaining([
        '/docs/default/component/payment-gateway/runbook/',
        '/catalog/default/component/payment-gateway',
      ]),
    );
    const employeeUrls = sourcesOf(employee.events).map(s => s.url);
    expect(employeeUrls).toEqual([...new Set(employeeUrls)]);
    expect(employee.body).toContain('PAYOUT-RECON-7731');
    const done = employee.events.at(-1);
    if (done?.type !== 'done') throw new Error(employee.body);
    await request(server)
      .post(`/api/ai-assistant/answers/${done.answer.answerId}/feedback`)
      .set('authorization', as('nina-berg'))
      .send({ rating: 'helpful' })
      .expect(200);

    const contractorAsks = [
      question,
      {
        question:
          'How are card payouts settled? Is there a reconciliation job?',
      },
      { question: 'who owns component:default/payment-gateway?' },
    ];
    for (const ask of contractorAsks) {
      await fetch(`${model.url}/__requests`, { method: 'DELETE' });
      const contractor = await chat('rafael-ortiz', ask);
      expect(contractor.status).toBe(200);
      expect(contractor.events.at(-1)?.type).toBe('done');
      for (const source of sourcesOf(contractor.events)) {
        expect(`${source.url} ${source.title} ${source.snippet}`).not.toMatch(
          /payment|payout/i,
        );
      }
      const prompt = await model.requestLog();
      for (const secret of RESTRICTED) {
        expect(contractor.body).not.toContain(secret);
        expect(prompt).not.toContain(secret);
      }
    }
    // The tool ran as the contractor, and the catalog did not show them the entity.
    const owner = await chat('rafael-ortiz', {
      question: 'who owns component:default/payment-gateway?',
    });
    expect(owner.events).toContainEqual({
      type: 'tool',
      actionId: 'catalog:get-catalog-entity',
      title: 'Get Catalog Entity',
      ok: false,
    });

    // The employee's helpful answer drew on the restricted service: the contractor may not open it.
    const shared = await request(server)
      .get(`/api/ai-assistant/answers/${done.answer.answerId}`)
      .set('authorization', as('rafael-ortiz'));
    expect(shared.status).toBe(404);

    // A service they may read depends on the restricted one: the relation is not theirs to learn.
    await fetch(`${model.url}/__requests`, { method: 'DELETE' });
    const checkout = await chat('rafael-ortiz', {
      question: 'What does checkout-web depend on?',
      entityRef: 'component:default/checkout-web',
    });
    expect(sourcesOf(checkout.events).map(s => s.url)).toContain(
      '/catalog/default/component/checkout-web',
    );
    expect(checkout.body).not.toMatch(/payment-gateway/);
    expect(await model.requestLog()).not.toMatch(/payment-gateway/);
    const employeeView = await chat('nina-berg', {
      question: 'What does checkout-web depend on?',
      entityRef: 'component:default/checkout-web',
    });
    expect(employeeView.body).toMatch(/payment-gateway/);

    // Their own service is fine.
    const theirs = await chat('rafael-ortiz', {
      question: 'How does metered usage reach invoices?',
    });
    expect(sourcesOf(theirs.events).map(s => s.url)).toContain(
      '/catalog/default/component/usage-metering',
    );

    for (const [route, body] of [
      [
        '/chat',
        {
          question: 'what is this?',
          entityRef: 'component:default/payment-gateway',
        },
      ],
      [
        '/analyze-error',
        {
          error: {
            message: 'payout failed',
            entityRef: 'component:default/payment-gateway',
          },
        },
      ],
      [
        '/generate/code',
        {
          prompt: 'a payout retry',
          entityRef: 'component:default/payment-gateway',
        },
      ],
    ] as const) {
      const hidden = await request(server)
        .post(`/api/ai-assistant${route}`)
        .set('authorization', as('rafael-ortiz'))
        .send(body);
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.message).toBe(
        'No entity component:default/payment-gateway in the catalog',
      );
    }
  });
});
