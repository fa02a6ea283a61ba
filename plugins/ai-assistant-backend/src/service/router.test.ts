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
  actionsServiceRef,
  ActionsServiceAction,
} from '@backstage/backend-plugin-api/alpha';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// The real security plugin: audit trail, access and role checks as in production.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import securityPlugin from '@internal/plugin-security-backend';
import { SANDBOX_CREDENTIALS, startModelEmulator } from '@internal/sandbox';
import express from 'express';
import { aiAssistantPlugin } from '../plugin';
import { answerText, sseEvents } from '../__testUtils__/sseEvents';

jest.setTimeout(180_000);

const ORG = 'file:/org/teams.yaml';
const entity = (
  kind: string,
  name: string,
  spec: object,
  metadata: object = {},
  memberOf: string[] = [],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: {
    name,
    namespace: 'default',
    ...metadata,
    annotations: {
      [ANNOTATION_LOCATION]:
        kind === 'User' || kind === 'Group'
          ? ORG
          : 'url:https://github.com/quillstack/x/blob/main/catalog-info.yaml',
      ...(metadata as { annotations?: object }).annotations,
    },
  },
  spec,
  relations: memberOf.map(group => ({
    type: 'memberOf',
    targetRef: `group:default/${group}`,
  })),
});

const ENTITIES: Entity[] = [
  entity('Group', 'team-platform', { type: 'team', children: [] }),
  entity('Group', 'team-billing', { type: 'team', children: [] }),
  entity('User', 'alice-nguyen', {}, {}, ['team-platform']),
  entity('User', 'erik-larsen', {}, {}, ['team-billing']),
  entity(
    'Component',
    'invoice-service',
    {
      type: 'service',
      owner: 'team-billing',
      lifecycle: 'production',
      system: 'billing',
    },
    {
      description:
        'Issues invoices and runs dunning for overdue accounts every night.',
      annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
    },
  ),
];

/** A secret that sits in a docs page and must never reach the model or a browser. */
const DOCS_SECRET = 'AKIAQ3EGRVHZX5P2MN7T';
const PROMPT_SECRET = 'ghp_R8x2LmQ7vN4kT9pW3zY6cB1dF5hJ0sA2eG8u';

/** TechDocs' search index of invoice-service, as the techdocs backend serves it. */
const techdocs = createBackendPlugin({
  pluginId: 'techdocs',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = express.Router();
        router.get(
          '/static/docs/default/component/invoice-service/search/search_index.json',
          (_req, res) => {
            res.json({
              docs: [
                {
                  location: 'runbook/',
                  title: 'Dunning runbook',
                  text: `When dunning emails stop, restart the dunning worker and replay the overdue queue. The mail relay key is ${DOCS_SECRET}; rotate it yearly.`,
                },
                {
                  location: 'index.html',
                  title: 'Invoice service',
                  text: 'The invoice service turns usage into monthly invoices.',
                },
              ],
            });
          },
        );
        httpRouter.use(router);
      },
    });
  },
});

const ACTIONS: ActionsServiceAction[] = [
  {
    id: 'opencost:get-service-costs',
    pluginId: 'opencost',
    name: 'get-service-costs',
    title: "A service's costs",
    description: 'Daily costs of one service',
    schema: {
      input: {
        type: 'object',
        properties: { entityRef: { type: 'string' } },
        required: ['entityRef'],
      },
      output: { type: 'object' },
    },
    attributes: { readOnly: true, destructive: false, idempotent: true },
  },
  {
    id: 'catalog:refresh-catalog-entity',
    pluginId: 'catalog',
    name: 'refresh-catalog-entity',
    title: 'Refresh Catalog Entity',
    description: 'Re-reads an entity from its source',
    schema: {
      input: {
        type: 'object',
        properties: {
          kind: { type: 'string' },
          namespace: { type: 'string' },
          name: { type: 'string' },
        },
        required: ['name'],
      },
      output: { type: 'object' },
    },
    attributes: { readOnly: false, destructive: false, idempotent: true },
  },
];

/** The actions registry as the assistant sees it, recording what was invoked and as whom. */
const invoked: Array<{ id: string; input: unknown; user: string }> = [];
const actionsService = createServiceFactory({
  service: actionsServiceRef,
  deps: {},
  factory: () => ({
    list: async () => ({ actions: ACTIONS }),
    invoke: async ({ id, input, credentials }) => {
      invoked.push({
        id,
        input,
        user: (credentials.principal as any).userEntityRef,
      });
      return id === 'opencost:get-service-costs'
        ? {
            output: {
              entityRef: 'component:default/invoice-service',
              last30Days: 412.5,
              currency: 'USD',
            },
          }
        : { output: { entityRef: 'component:default/invoice-service' } };
    },
  }),
});

const as = (name: string) =>
  mockCredentials.user.header(`user:default/${name}`);

describe('the AI assistant', () => {
  let model: Awaited<ReturnType<typeof startModelEmulator>>;
  const backends: Array<{ stop(): Promise<void> }> = [];

  beforeAll(async () => {
    model = await startModelEmulator();
  });
  afterAll(async () => {
    for (const backend of backends) await backend.stop();
    await model.stop();
  });

  async function start(assistant: object = {}, extra: any[] = []) {
    const backend = await startTestBackend({
      features: [
        aiAssistantPlugin,
        securityPlugin,
        techdocs,
        actionsService,
        catalogServiceMock.factory({ entities: ENTITIES }),
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            security: {
              roleCacheSeconds: 60,
              trustedOrgSources: ['file:/org/*.yaml'],
              internalDomains: ['internal.quillstack.example'],
              roles: [
                { group: 'group:default/team-platform', role: 'admin' },
                { group: 'group:default/team-billing', role: 'developer' },
              ],
            },
            aiAssistant: {
              providers: [
                {
                  id: 'sandbox',
                  baseUrl: `${model.url}/v1`,
                  apiKey: SANDBOX_CREDENTIALS.llmApiKey,
                  model: 'gpt-4o-mini',
                  firstTokenTimeoutSeconds: 5,
                },
              ],
              retrieval: { catalogCheckSeconds: 1 },
              // Tests ask again while the index fills; one test sets its own limit.
              requestsPerMinute: 1000,
              ...assistant,
            },
          },
        }),
        ...extra,
      ],
    });
    backends.push(backend);
    return backend.server;
  }

  const chat = (server: any, user: string, body: object) =>
    request(server)
      .post('/api/ai-assistant/chat')
      .set('authorization', as(user))
      .send(body)
      .buffer(true)
      .parse((res, callback) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (text += chunk));
        res.on('end', () => callback(null, text));
      });

  /** Asks until the index has what the question needs (the first indexing runs a second after start). */
  async function askWhenIndexed(
    server: any,
    user: string,
    body: object,
    kinds: string[],
  ) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await chat(server, user, body);
      const events = sseEvents(res.body);
      const sources = events.flatMap(e =>
        e.type === 'sources' ? e.sources : [],
      );
      if (
        kinds.every(k => sources.some(s => s.kind === k)) ||
        Date.now() > deadline
      ) {
        return { res, events, sources };
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  }

  it('streams an answer grounded in the catalog and the docs, with its sources, marked AI-generated and audited', async () => {
    const server = await start();
    const { res, events, sources } = await askWhenIndexed(
      server,
      'erik-larsen',
      {
        question: 'What do I do when dunning emails stop for overdue invoices?',
      },
      ['entity', 'runbook'],
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['x-ai-generated']).toBe('true');
    expect(events[0].type).toBe('sources');
    // An entity's chunks (its description, each relation) are one source, listed once.
    const urls = sources.map(s => s.url);
    expect(urls).toEqual([...new Set(urls)]);
    const runbook = sources.find(s => s.kind === 'runbook')!;
    expect(runbook).toMatchObject({
      title: 'Dunning runbook (invoice-service docs)',
      url: '/docs/default/component/invoice-service/runbook/',
    });
    const text = answerText(events);
    expect(text).toContain(
      `restart the dunning worker and replay the overdue queue. [${runbook.id}]`,
    );
    expect(events.filter(e => e.type === 'token').length).toBeGreaterThan(5);
    const done = events.at(-1)!;
    expect(done).toMatchObject({
      type: 'done',
      answer: {
        aiGenerated: true,
        provider: 'sandbox',
        model: 'gpt-4o-mini',
        answerId: expect.any(String),
      },
    });

    const audit = await request(server)
      .get('/api/security/audit?action=ai.use')
      .set('authorization', as('alice-nguyen'));
    const entry = audit.body.items.find(
      (r: any) =>
        done.type === 'done' && r.details.answerId === done.answer.answerId,
    );
    expect(entry).toMatchObject({
      actorRef: 'user:default/erik-larsen',
      outcome: 'succeeded',
      details: {
        capability: 'chat',
        prompt: 'What do I do when dunning emails stop for overdue invoices?',
        provider: 'sandbox',
        model: 'gpt-4o-mini',
        promptTokens: expect.any(Number),
        completionTokens: expect.any(Number),
        latencyMs: expect.any(Number),
      },
    });
  });

  it('never lets a secret in the question or in a retrieved page reach the model or the browser', async () => {
    const server = await start();
    const { res } = await askWhenIndexed(
      server,
      'erik-larsen',
      {
        question: `Which mail relay key does the dunning runbook use? Mine is ${PROMPT_SECRET}`,
        history: [
          { role: 'user', content: `earlier I pasted ${PROMPT_SECRET}` },
        ],
      },
      ['runbook'],
    );
    const log = await model.requestLog();
    expect(log).toContain('Which mail relay key does the dunning runbook use?');
    expect(log).toContain('[REDACTED:aws-access-key]');
    expect(log).not.toContain(DOCS_SECRET);
    expect(log).not.toContain(PROMPT_SECRET);
    expect(res.body).not.toContain(DOCS_SECRET);
    expect(res.body).not.toContain(PROMPT_SECRET);
  });

  it('runs read-only tools as the asker, and proposes a change that runs once, when the asker confirms it', async () => {
    const server = await start();
    const cost = sseEvents(
      (
        await chat(server, 'erik-larsen', {
          question: 'What does component:default/invoice-service cost?',
        })
      ).body,
    );
    expect(cost).toContainEqual({
      type: 'tool',
      actionId: 'opencost:get-service-costs',
      title: "A service's costs",
      ok: true,
    });
    expect(answerText(cost)).toContain('last30Days: 412.5');
    expect(invoked.at(-1)).toEqual({
      id: 'opencost:get-service-costs',
      input: { entityRef: 'component:default/invoice-service' },
      user: 'user:default/erik-larsen',
    });

    const asked = sseEvents(
      (
        await chat(server, 'erik-larsen', {
          question: 'Please refresh component:default/invoice-service',
        })
      ).body,
    );
    const proposal = asked.find(e => e.type === 'proposal');
    expect(proposal).toMatchObject({
      type: 'proposal',
      proposal: {
        actionId: 'catalog:refresh-catalog-entity',
        input: {
          kind: 'component',
          namespace: 'default',
          name: 'invoice-service',
        },
      },
    });
    const invokedBefore = invoked.length;
    expect(invoked.map(i => i.id)).not.toContain(
      'catalog:refresh-catalog-entity',
    );
    const id = proposal?.type === 'proposal' ? proposal.proposal.id : '';
    const someoneElse = await request(server)
      .post(`/api/ai-assistant/proposals/${id}/confirm`)
      .set('authorization', as('alice-nguyen'));
    expect(someoneElse.status).toBe(404);
    const confirmations = await Promise.all(
      [1, 2, 3].map(() =>
        request(server)
          .post(`/api/ai-assistant/proposals/${id}/confirm`)
          .set('authorization', as('erik-larsen')),
      ),
    );
    expect(confirmations.map(c => c.status).sort()).toEqual([200, 400, 400]);
    const confirmed = confirmations.find(c => c.status === 200)!;
    expect(confirmed.body).toMatchObject({
      status: 'confirmed',
      output: { entityRef: 'component:default/invoice-service' },
    });
    expect(invoked.slice(invokedBefore)).toEqual([
      {
        id: 'catalog:refresh-catalog-entity',
        input: {
          kind: 'component',
          namespace: 'default',
          name: 'invoice-service',
        },
        user: 'user:default/erik-larsen',
      },
    ]);
  });

  it('learns from feedback: an answer marked helpful is a source for the next similar question, a wrong one is not', async () => {
    const server = await start();
    const first = await askWhenIndexed(
      server,
      'erik-larsen',
      { question: 'How are overdue invoices chased by invoice-service?' },
      ['entity'],
    );
    const done = first.events.at(-1)!;
    if (done.type !== 'done') throw new Error(`no answer: ${first.res.body}`);
    const answerId = done.answer.answerId;
    const notYours = await request(server)
      .post(`/api/ai-assistant/answers/${answerId}/feedback`)
      .set('authorization', as('alice-nguyen'))
      .send({ rating: 'helpful' });
    expect(notYours.status).toBe(404);
    const getAnswer = (user: string) =>
      request(server)
        .get(`/api/ai-assistant/answers/${answerId}`)
        .set('authorization', as(user));
    expect((await getAnswer('erik-larsen')).body).toMatchObject({
      answerId,
      aiGenerated: true,
      yours: true,
      question: 'How are overdue invoices chased by invoice-service?',
    });
    // Someone else's answer is private until it is marked helpful.
    expect((await getAnswer('alice-nguyen')).status).toBe(404);
    const helpful = await request(server)
      .post(`/api/ai-assistant/answers/${answerId}/feedback`)
      .set('authorization', as('erik-larsen'))
      .send({ rating: 'helpful', note: 'exactly what I needed' });
    expect(helpful.status).toBe(200);
    expect((await getAnswer('alice-nguyen')).body).toMatchObject({
      answerId,
      yours: false,
    });

    const again = sseEvents(
      (
        await chat(server, 'erik-larsen', {
          question: 'how does invoice-service chase overdue invoices',
        })
      ).body,
    );
    const learned = again.flatMap(e => (e.type === 'sources' ? e.sources : []));
    expect(learned[0]).toMatchObject({
      kind: 'answer',
      url: `/assistant?answer=${answerId}`,
    });

    // With no provider able to answer, the helpful answer is offered (the design's cached suggestions),
    // to another reader of its sources too.
    await model.control({ mode: 'fail' });
    try {
      const down = sseEvents(
        (
          await chat(server, 'alice-nguyen', {
            question: 'how does invoice-service chase overdue invoices',
          })
        ).body,
      ).at(-1)!;
      expect(down).toMatchObject({
        type: 'error',
        message: expect.stringContaining('No AI provider could answer'),
        suggestions: [
          expect.objectContaining({ url: `/assistant?answer=${answerId}` }),
        ],
      });
      // The failure's audit record says what was offered instead.
      const failures = await request(server)
        .get('/api/security/audit?action=ai.use')
        .set('authorization', as('alice-nguyen'));
      expect(failures.body.items).toContainEqual(
        expect.objectContaining({
          actorRef: 'user:default/alice-nguyen',
          outcome: 'failed',
          details: expect.objectContaining({
            prompt: 'how does invoice-service chase overdue invoices',
            suggested: [`/assistant?answer=${answerId}`],
          }),
        }),
      );
    } finally {
      await model.control({ mode: 'ok' });
    }

    await request(server)
      .post(`/api/ai-assistant/answers/${answerId}/feedback`)
      .set('authorization', as('erik-larsen'))
      .send({ rating: 'wrong' })
      .expect(200);
    const afterWrong = sseEvents(
      (
        await chat(server, 'erik-larsen', {
          question: 'how does invoice-service chase overdue invoices',
        })
      ).body,
    );
    expect(
      afterWrong
        .flatMap(e => (e.type === 'sources' ? e.sources : []))
        .map(s => s.kind),
    ).not.toContain('answer');
  });

  it('gives an agent redacted passages for its person, audited; an answer that continues a conversation is never shared', async () => {
    const server = await start();
    const invoke = () =>
      request(server)
        .post(
          '/api/ai-assistant/.backstage/actions/v1/actions/ai-assistant:retrieve-portal-knowledge/invoke',
        )
        .set('authorization', as('erik-larsen'))
        .send({ question: 'dunning emails stop mail relay key', limit: 5 });
    let passages = (await invoke()).body.output?.passages ?? [];
    const deadline = Date.now() + 30_000;
    while (
      !passages.some((p: any) => p.kind === 'runbook') &&
      Date.now() < deadline
    ) {
      await new Promise(resolve => setTimeout(resolve, 500));
      passages = (await invoke()).body.output?.passages ?? [];
    }
    const runbook = passages.find((p: any) => p.kind === 'runbook');
    expect(runbook.text).toContain('[REDACTED:aws-access-key]');
    expect(JSON.stringify(passages)).not.toContain(DOCS_SECRET);
    const audit = await request(server)
      .get('/api/security/audit?action=ai.use')
      .set('authorization', as('alice-nguyen'));
    expect(
      audit.body.items.some(
        (r: any) =>
          r.actorRef === 'user:default/erik-larsen' &&
          r.details.capability === 'retrieve',
      ),
    ).toBe(true);

    const followUp = sseEvents(
      (
        await chat(server, 'erik-larsen', {
          question: 'And how are overdue invoices chased by invoice-service?',
          history: [
            { role: 'user', content: 'Tell me about payment-gateway' },
            { role: 'assistant', content: 'It settles card payouts nightly.' },
          ],
        })
      ).body,
    );
    const done = followUp.at(-1);
    if (done?.type !== 'done') throw new Error('no answer');
    const rated = await request(server)
      .post(`/api/ai-assistant/answers/${done.answer.answerId}/feedback`)
      .set('authorization', as('erik-larsen'))
      .send({ rating: 'helpful' });
    expect(rated.body).toEqual({
      answerId: done.answer.answerId,
      rating: 'helpful',
      shared: false,
    });
    const other = await request(server)
      .get(`/api/ai-assistant/answers/${done.answer.answerId}`)
      .set('authorization', as('alice-nguyen'));
    expect(other.status).toBe(404);
  });

  it('generates code and docs, analyses an error with its evidence, and reviews a diff (also for the CI, as a service)', async () => {
    const server = await start();
    const code = await request(server)
      .post('/api/ai-assistant/generate/code')
      .set('authorization', as('erik-larsen'))
      .send({
        prompt: 'an endpoint that lists overdue invoices',
        service: { language: 'go', framework: 'net/http' },
      });
    expect(code.status).toBe(200);
    expect(code.headers['x-ai-generated']).toBe('true');
    expect(code.body).toMatchObject({
      language: 'go',
      answer: { aiGenerated: true },
    });
    expect(code.body.code).toContain('package handlers');

    const docs = await request(server)
      .post('/api/ai-assistant/generate/documentation')
      .set('authorization', as('erik-larsen'))
      .send({
        title: 'Dunning',
        code: '/** Sends the reminder for one overdue invoice. */\nexport async function sendReminder(invoiceId: string) {}\n',
      });
    expect(docs.status).toBe(200);
    expect(docs.body.markdown).toMatch(/^# Dunning\n/);
    expect(docs.body.markdown).toContain(
      '### `sendReminder(invoiceId: string)`\n\nSends the reminder for one overdue invoice.',
    );

    const deadline = Date.now() + 30_000;
    const analyze = () =>
      request(server)
        .post('/api/ai-assistant/analyze-error')
        .set('authorization', as('erik-larsen'))
        .send({
          error: {
            message: 'dunning emails stopped: overdue queue not draining',
            entityRef: 'component:default/invoice-service',
          },
        });
    const evidenceOf = (body: any): string[] =>
      (body.hypotheses ?? []).flatMap((h: any) =>
        h.evidence.map((e: any) => e.url),
      );
    const runbookUrl = '/docs/default/component/invoice-service/runbook/';
    let analysis = await analyze();
    while (
      !evidenceOf(analysis.body).includes(runbookUrl) &&
      Date.now() < deadline
    ) {
      await new Promise(resolve => setTimeout(resolve, 500));
      analysis = await analyze();
    }
    expect(analysis.status).toBe(200);
    // Each hypothesis rests on sources the asker was given; the runbook is among them.
    expect(evidenceOf(analysis.body)).toContain(runbookUrl);
    for (const hypothesis of analysis.body.hypotheses) {
      expect(hypothesis.evidence.length).toBeGreaterThan(0);
      expect(hypothesis.likelihood).toBeGreaterThan(0);
    }
    const likelihoods = analysis.body.hypotheses.map((h: any) => h.likelihood);
    expect(likelihoods).toEqual([...likelihoods].sort((a, b) => b - a));

    const diff = [
      '--- a/src/dunning.ts',
      '+++ b/src/dunning.ts',
      '@@ -10,3 +10,5 @@ export async function run() {',
      '   const due = await overdue();',
      '+  console.log(due);',
      "+  const password = 'hunter2hunter2';",
      '   return due;',
    ].join('\n');
    const review = await request(server)
      .post('/api/ai-assistant/review-code')
      .set(
        'authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('external:github-actions'),
        } as any),
      )
      .send({
        pullRequest: {
          repository: 'quillstack/invoice-service',
          number: 42,
          diff,
        },
      });
    expect(review.status).toBe(200);
    expect(review.body.comments).toEqual([
      expect.objectContaining({
        path: 'src/dunning.ts',
        line: 11,
        severity: 'warning',
      }),
      expect.objectContaining({
        path: 'src/dunning.ts',
        line: 12,
        severity: 'error',
      }),
    ]);
    expect(JSON.stringify(review.body)).not.toContain('hunter2hunter2');
    expect(review.body.sources).toEqual([]);
  });

  it('answers a person-sized 4xx for bad input, a hidden entity, a refused role and too many requests', async () => {
    const server = await start({ requestsPerMinute: 3 });
    const empty = await request(server)
      .post('/api/ai-assistant/chat')
      .set('authorization', as('erik-larsen'))
      .send({ question: '   ' });
    expect(empty.status).toBe(400);
    const unknown = await request(server)
      .post('/api/ai-assistant/chat')
      .set('authorization', as('erik-larsen'))
      .send({ question: 'who owns it?', entityRef: 'component:default/nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'No entity component:default/nope in the catalog',
    );
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (
          await request(server)
            .post('/api/ai-assistant/generate/documentation')
            .set('authorization', as('alice-nguyen'))
            .send({ code: 'function a() {}' })
        ).status,
      );
    }
    const limited = await request(server)
      .post('/api/ai-assistant/generate/documentation')
      .set('authorization', as('alice-nguyen'))
      .send({ code: 'function a() {}' });
    expect(statuses).toEqual([200, 200, 200]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.error.message).toMatch(
      /You have asked 3 times this minute/,
    );

    // Text that looks like a model's control tokens is just text.
    const special = await chat(server, 'erik-larsen', {
      question: 'Why does <|endoftext|> appear in invoice-service logs?',
    });
    expect(special.status).toBe(200);

    const small = await start({
      requestsPerMinute: 100,
      providers: [
        {
          id: 'small',
          baseUrl: `${model.url}/v1`,
          apiKey: SANDBOX_CREDENTIALS.llmApiKey,
          model: 'gpt-4o-mini',
          contextTokens: 3000,
        },
      ],
    });
    const tooLong = await request(small)
      .post('/api/ai-assistant/generate/documentation')
      .set('authorization', as('erik-larsen'))
      .send({
        code: 'function reconcile(batch) { return batch; }\n'.repeat(300),
      });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(
      /more than the 750 the assistant takes at once/,
    );

    const refused = await start({}, [
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const denied = await request(refused)
      .post('/api/ai-assistant/chat')
      .set('authorization', as('erik-larsen'))
      .send({ question: 'who owns invoice-service?' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(/may not use the AI assistant/);
    // The providers' state is for those who may use the assistant.
    const hiddenStatus = await request(refused)
      .get('/api/ai-assistant/status')
      .set('authorization', as('erik-larsen'));
    expect(hiddenStatus.status).toBe(403);
    const status = await request(server)
      .get('/api/ai-assistant/status')
      .set('authorization', as('erik-larsen'));
    expect(status.body).toEqual({
      providers: [
        {
          id: 'sandbox',
          model: 'gpt-4o-mini',
          position: 'closed',
          failures: 0,
        },
      ],
    });
  });
});
