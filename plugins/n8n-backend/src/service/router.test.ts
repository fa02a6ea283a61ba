import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import {
  RunningSandbox,
  SANDBOX_CREDENTIALS,
  startSandbox,
  UPSTREAMS,
} from '@internal/sandbox';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import securityPlugin from '@internal/plugin-security-backend';
import { dropDatabasesWithPrefix, TEST_POSTGRES } from '@internal/test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import request from 'supertest';
import { n8nPlugin } from '../plugin';
import { signCallback } from '../callback/signature';
import { createTriggerWorkflowAction } from '../scaffolder/triggerWorkflowAction';
import { AddressInfo } from 'node:net';

jest.setTimeout(120_000);

const ORG = 'file:/org/teams.yaml';
function entity(
  kind: string,
  name: string,
  spec: object,
  options: { memberOf?: string[]; annotations?: Record<string, string> } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        [ANNOTATION_LOCATION]:
          kind === 'User' || kind === 'Group'
            ? ORG
            : 'url:https://github.com/quillstack/services/blob/main/catalog-info.yaml',
        ...options.annotations,
      },
    },
    spec,
    relations: (options.memberOf ?? []).map(group => ({
      type: 'memberOf',
      targetRef: `group:default/${group}`,
    })),
  };
}

const ENTITIES: Entity[] = [
  entity('Group', 'team-platform', { type: 'team', children: [] }),
  entity('Group', 'team-billing', { type: 'team', children: [] }),
  entity('Group', 'contractors', { type: 'team', children: [] }),
  entity('User', 'alice-nguyen', {}, { memberOf: ['team-platform'] }),
  entity('User', 'erik-larsen', {}, { memberOf: ['team-billing'] }),
  entity('User', 'rafael-ortiz', {}, { memberOf: ['contractors'] }),
  entity(
    'Component',
    'invoice-service',
    { type: 'service', owner: 'team-billing', lifecycle: 'production' },
    {
      annotations: {
        'n8n/workflows':
          'invoice-overdue-reminder,refund-approval,not-in-n8n,access-request',
      },
    },
  ),
  // Named like a tag every sandbox workflow has, owned by the billing team: it must not reach the
  // payments team's refund-approval.
  entity(
    'Component',
    'backstage',
    { type: 'service', owner: 'team-billing', lifecycle: 'experimental' },
    { annotations: { 'n8n/workflows': 'refund-approval' } },
  ),
  entity('Component', 'usage-metering', {
    type: 'service',
    owner: 'contractors',
    lifecycle: 'experimental',
  }),
  entity('Component', 'payment-gateway', {
    type: 'service',
    owner: 'team-payments',
    lifecycle: 'production',
  }),
];

const ACTIONS = [
  {
    id: 'request-access',
    title: 'Request temporary access',
    description: 'Ask for a sensitive action on one service for a few hours',
    workflow: 'access-request',
    entityField: 'entityRef',
    grantsAccess: true,
    inputSchema: {
      type: 'object',
      required: ['entityRef', 'access', 'hours', 'reason'],
      additionalProperties: false,
      properties: {
        entityRef: { type: 'string', maxLength: 512 },
        access: { enum: ['cost.read', 'deployment.sync', 'n8n.run'] },
        hours: { type: 'integer', minimum: 1, maximum: 72 },
        reason: { type: 'string', minLength: 15, maxLength: 500 },
      },
    },
  },
  {
    id: 'rotate-credentials',
    title: "Rotate a service's credentials",
    description: 'New secrets, then a rolling restart',
    workflow: 'rotate-service-credentials',
    entityField: 'service',
    permission: 'n8n.run',
    inputSchema: {
      type: 'object',
      required: ['service'],
      additionalProperties: false,
      properties: { service: { type: 'string' }, reason: { type: 'string' } },
    },
  },
];

function config(sandbox: RunningSandbox, extra: object = {}) {
  return {
    backend: { baseUrl: 'http://localhost:7007' },
    security: {
      roleCacheSeconds: 60,
      trustedOrgSources: ['file:/org/*.yaml'],
      internalDomains: ['internal.quillstack.example'],
      roles: [
        { group: 'group:default/team-platform', role: 'admin' },
        { group: 'group:default/team-billing', role: 'developer' },
        { group: 'group:default/contractors', role: 'contractor-developer' },
      ],
      contractorPolicy: {
        permissions: { canViewCostData: false },
        accessBoundaries: {
          restrictedServices: ['component:default/payment-gateway'],
          requiresApproval: ['n8n.run'],
        },
      },
    },
    n8n: {
      baseUrl: sandbox.urls.n8n,
      apiKey: SANDBOX_CREDENTIALS.n8nApiKey,
      followEverySeconds: 1,
      callback: { secret: SANDBOX_CREDENTIALS.n8nCallbackSecret },
      actions: ACTIONS,
      ...extra,
    },
  };
}

const as = (name: string) =>
  mockCredentials.user.header(`user:default/${name}`);

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

describe('n8n workflows', () => {
  let sandbox: RunningSandbox;
  const signals: Array<{ recipients: any; channel: string; message: any }> = [];
  const notifications: any[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({
      ports: Object.fromEntries(UPSTREAMS.map(u => [u, 0])),
      n8nRunMs: 800,
    });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  /**
   * A backend; with a database prefix, each plugin in a PostgreSQL database of its own as in production
   * (one database shared by plugins starting together races on the scheduler's migrations table).
   */
  async function start(databasePrefix?: string, extra: object = {}) {
    return startTestBackend({
      features: [
        n8nPlugin,
        securityPlugin,
        catalogServiceMock.factory({ entities: ENTITIES }),
        mockServices.rootConfig.factory({
          data: {
            ...config(sandbox, extra),
            ...(databasePrefix
              ? {
                  backend: {
                    baseUrl: 'http://localhost:7007',
                    database: {
                      client: 'pg',
                      connection: TEST_POSTGRES,
                      prefix: databasePrefix,
                    },
                  },
                }
              : {}),
          },
        }),
        ...(databasePrefix ? [databaseServiceFactory] : []),
        // The real scheduler: the follower runs every second, once across backends, as in production.
        schedulerServiceFactory,
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => ({
            publish: async (signal: any) => void signals.push(signal),
          }),
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (n: any) => void notifications.push(n),
          }),
        }),
      ],
    });
  }

  it('an access request runs in n8n, reports back signed, and the grant works in the portal by itself', async () => {
    const backend = await start();
    const server = backend.server;
    const costRead = async () =>
      (
        await request(server)
          .get('/api/security/access/me')
          .set('authorization', as('rafael-ortiz'))
      ).body.actions['cost.read'];
    expect((await costRead()).allowed).toBe(false);

    const started = await request(server)
      .post('/api/n8n/actions/request-access/runs')
      .set('authorization', as('rafael-ortiz'))
      .send({
        input: {
          entityRef: 'component:default/usage-metering',
          access: 'cost.read',
          hours: 4,
          reason: 'Budget review with finance on Friday',
        },
      });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      kind: 'action',
      actionId: 'request-access',
      workflow: 'access-request',
      entityRef: 'component:default/usage-metering',
      requestedBy: 'user:default/rafael-ortiz',
      status: 'running',
    });
    const run = await until(
      async () =>
        (
          await request(server)
            .get(`/api/n8n/runs/${started.body.id}`)
            .set('authorization', as('rafael-ortiz'))
        ).body,
      body => Boolean(body.grantId),
    );
    expect(run).toMatchObject({
      status: 'success',
      result: { message: expect.stringContaining('Approved') },
      grantId: expect.any(String),
    });
    expect(await costRead()).toEqual({
      allowed: true,
      reason: expect.stringMatching(
        /^only granted on component:default\/usage-metering until /,
      ),
    });
    // Live status for the requester, and a notification when it ended.
    expect(
      signals
        .filter(s => s.message.runId === run.id)
        .map(s => [s.recipients.entityRef, s.channel, s.message.status]),
    ).toEqual(
      expect.arrayContaining([
        ['user:default/rafael-ortiz', 'n8n:runs', 'running'],
        ['user:default/rafael-ortiz', 'n8n:runs', 'success'],
      ]),
    );
    expect(notifications).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          recipients: {
            type: 'entity',
            entityRef: 'user:default/rafael-ortiz',
          },
          payload: expect.objectContaining({
            title: 'Request temporary access: success',
          }),
        }),
      ]),
    );
    // Another user sees neither the run nor it in their list.
    const other = await request(server)
      .get(`/api/n8n/runs/${run.id}`)
      .set('authorization', as('erik-larsen'));
    expect(other.status).toBe(404);
    const theirList = await request(server)
      .get('/api/n8n/runs')
      .set('authorization', as('erik-larsen'));
    expect(theirList.body.items).toEqual([]);
    // Everyone's runs are for admins only.
    const everyone = await request(server)
      .get('/api/n8n/runs?all=true')
      .set('authorization', as('erik-larsen'));
    expect(everyone.status).toBe(403);
    const asAdmin = await request(server)
      .get('/api/n8n/runs?all=true')
      .set('authorization', as('alice-nguyen'));
    expect(asAdmin.body.items.map((r: any) => r.id)).toContain(run.id);
    // The start and the end are in the audit trail, the input redacted there as in the run.
    const audit = await request(server)
      .get('/api/security/audit?action=n8n.run')
      .set('authorization', as('alice-nguyen'));
    const steps = audit.body.items
      .filter((r: any) => r.details.run === run.id)
      .map((r: any) => [r.actorRef, r.outcome, r.details.step]);
    expect(steps).toEqual(
      expect.arrayContaining([
        ['user:default/rafael-ortiz', 'succeeded', 'started'],
        ['user:default/rafael-ortiz', 'succeeded', 'success'],
      ]),
    );
    await backend.stop();
  });

  it('refuses a tampered, wrongly signed, stale or replayed callback with 401 and records one grant for one callback', async () => {
    const backend = await start();
    const server = backend.server;
    const started = await request(server)
      .post('/api/n8n/actions/request-access/runs')
      .set('authorization', as('rafael-ortiz'))
      .send({
        input: {
          entityRef: 'component:default/usage-metering',
          access: 'deployment.sync',
          hours: 2,
          reason: 'Hotfix rollout for the metering bug',
        },
      });
    const runId = started.body.id;
    const body = JSON.stringify({
      runId,
      executionId: started.body.executionId,
      status: 'success',
      result: { message: 'approved by hand' },
      grant: { hours: 2 },
    });
    const now = String(Math.floor(Date.now() / 1000));
    const secret = SANDBOX_CREDENTIALS.n8nCallbackSecret;
    const post = (payload: string, timestamp: string, signature: string) =>
      request(server)
        .post('/api/n8n/callback')
        .set('content-type', 'application/json')
        .set('x-portal-timestamp', timestamp)
        .set('x-portal-signature', signature)
        .send(payload);
    const grants = async () =>
      (
        await request(server)
          .get('/api/security/grants?active=false')
          .set('authorization', as('rafael-ortiz'))
      ).body.items.filter((g: any) => g.source === `n8n:run:${runId}`);

    const stale = String(Number(now) - 3600);
    const refusals = [
      await post(
        body.replace('"hours":2', '"hours":72'),
        now,
        signCallback(secret, now, body),
      ),
      await post(body, now, signCallback('a guessed secret', now, body)),
      await post(body, stale, signCallback(secret, stale, body)),
      await post(body, now, 'sha256=00'),
    ];
    expect(refusals.map(r => r.status)).toEqual([401, 401, 401, 401]);
    expect(await grants()).toEqual([]);

    // Signed with the secret every workflow holds, but naming an execution of another workflow: n8n
    // does not confirm it as this run's, so nothing is granted.
    const other = await request(server)
      .post('/api/n8n/actions/rotate-credentials/runs')
      .set('authorization', as('alice-nguyen'))
      .send({ input: { service: 'component:default/invoice-service' } });
    const forged = JSON.stringify({
      runId,
      executionId: other.body.executionId,
      status: 'success',
      grant: { hours: 2 },
    });
    const forgedAnswer = await post(
      forged,
      now,
      signCallback(secret, now, forged),
    );
    expect(forgedAnswer.status).toBe(400);
    expect(forgedAnswer.body.error.message).toMatch(/no access is granted/);
    expect(await grants()).toEqual([]);

    const valid = signCallback(secret, now, body);
    const accepted = await post(body, now, valid);
    expect(accepted.status).toBe(200);
    const replay = await post(body, now, valid);
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toMatch(/replay/);
    // A second, freshly signed delivery of the same result still records one grant.
    const later = String(Number(now) + 1);
    expect(
      (await post(body, later, signCallback(secret, later, body))).status,
    ).toBe(200);
    // The sandbox's own callback arrives too; wait for it, then count.
    await until(
      async () =>
        (
          await request(server)
            .get(`/api/n8n/runs/${runId}`)
            .set('authorization', as('rafael-ortiz'))
        ).body.status,
      status => status === 'success',
    );
    await new Promise(resolve => setTimeout(resolve, 1500));
    expect(await grants()).toHaveLength(1);
    await backend.stop();
  });

  it('validates input against the action schema: 400 with each field, nothing started', async () => {
    const backend = await start();
    const executionsBefore = await fetch(
      `${sandbox.urls.n8n}/api/v1/executions?limit=250`,
      { headers: { 'x-n8n-api-key': SANDBOX_CREDENTIALS.n8nApiKey } },
    ).then(r => r.json());
    const bad = await request(backend.server)
      .post('/api/n8n/actions/request-access/runs')
      .set('authorization', as('rafael-ortiz'))
      .send({
        input: {
          entityRef: 'component:default/usage-metering',
          access: 'audit.read',
          hours: 500,
          reason: 'because',
          extra: true,
        },
      });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({
      '/access': expect.any(String),
      '/hours': 'must be <= 72',
      '/reason': 'must NOT have fewer than 15 characters',
      '/': 'must NOT have additional properties',
    });
    const missing = await request(backend.server)
      .post('/api/n8n/actions/request-access/runs')
      .set('authorization', as('rafael-ortiz'))
      .send({ input: {} });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.error.fields).sort()).toEqual([
      '/access',
      '/entityRef',
      '/hours',
      '/reason',
    ]);
    // A restricted service is as unknown to a contractor as a missing one.
    const hidden = await request(backend.server)
      .post('/api/n8n/actions/rotate-credentials/runs')
      .set('authorization', as('erik-larsen'))
      .send({ input: { service: 'component:default/usage-metering' } });
    expect(hidden.status).toBe(403);
    const mine = await request(backend.server)
      .get('/api/n8n/runs')
      .set('authorization', as('rafael-ortiz'));
    expect(mine.body.items).toEqual([]);
    const executionsAfter = await fetch(
      `${sandbox.urls.n8n}/api/v1/executions?limit=250`,
      { headers: { 'x-n8n-api-key': SANDBOX_CREDENTIALS.n8nApiKey } },
    ).then(r => r.json());
    expect(executionsAfter.data.length).toBe(executionsBefore.data.length);
    await backend.stop();
  });

  it("runs an entity's workflows only where n8n tags them with the entity", async () => {
    const backend = await start();
    const listed = await request(backend.server)
      .get(
        '/api/n8n/entity-workflows?entityRef=component:default/invoice-service',
      )
      .set('authorization', as('erik-larsen'));
    expect(listed.status).toBe(200);
    expect(
      listed.body.items.map((w: any) => [w.name, w.runnable, w.reason ?? '']),
    ).toEqual([
      ['invoice-overdue-reminder', true, ''],
      [
        'refund-approval',
        false,
        expect.stringMatching(
          /does not tag refund-approval with invoice-service/,
        ),
      ],
      ['not-in-n8n', false, 'n8n has no workflow not-in-n8n'],
      [
        'access-request',
        false,
        'access-request is a self-service action: start it on the Workflows page',
      ],
    ]);
    const squatter = await request(backend.server)
      .post('/api/n8n/entity-workflows/runs')
      .set('authorization', as('erik-larsen'))
      .send({
        entityRef: 'component:default/backstage',
        workflow: 'refund-approval',
      });
    expect([squatter.status, squatter.body.error.message]).toEqual([
      409,
      expect.stringMatching(/with backstage and its owner team-billing/),
    ]);
    const refused = await request(backend.server)
      .post('/api/n8n/entity-workflows/runs')
      .set('authorization', as('erik-larsen'))
      .send({
        entityRef: 'component:default/invoice-service',
        workflow: 'refund-approval',
      });
    expect(refused.status).toBe(409);
    const ran = await request(backend.server)
      .post('/api/n8n/entity-workflows/runs')
      .set('authorization', as('erik-larsen'))
      .send({
        entityRef: 'component:default/invoice-service',
        workflow: 'invoice-overdue-reminder',
      });
    expect(ran.status).toBe(201);
    // A contractor who does not own the service may not run it.
    const contractor = await request(backend.server)
      .post('/api/n8n/entity-workflows/runs')
      .set('authorization', as('rafael-ortiz'))
      .send({
        entityRef: 'component:default/invoice-service',
        workflow: 'invoice-overdue-reminder',
      });
    expect(contractor.status).toBe(403);
    await backend.stop();
  });

  it('n8n:workflow:trigger starts an action as the person running the template and waits for its end', async () => {
    const backend = await start();
    const { port } = backend.server.address() as AddressInfo;
    const action = createTriggerWorkflowAction({
      auth: mockServices.auth(),
      discovery: {
        getBaseUrl: async () => `http://localhost:${port}/api/n8n`,
        getExternalBaseUrl: async () => `http://localhost:${port}/api/n8n`,
      },
    });
    const outputs: Record<string, unknown> = {};
    const context = (input: object) =>
      ({
        input,
        getInitiatorCredentials: async () =>
          mockCredentials.user('user:default/erik-larsen'),
        logger: mockServices.logger.mock(),
        output: (name: string, value: unknown) => {
          outputs[name] = value;
        },
      } as any);
    await action.handler(
      context({
        action: 'rotate-credentials',
        input: { service: 'component:default/invoice-service' },
        wait: true,
        timeoutSeconds: 30,
      }),
    );
    expect(outputs).toMatchObject({
      status: 'success',
      result: { message: expect.stringContaining('Rotated invoice-service') },
    });
    const run = await request(backend.server)
      .get(`/api/n8n/runs/${outputs.runId}`)
      .set('authorization', as('erik-larsen'));
    expect(run.body.requestedBy).toBe('user:default/erik-larsen');

    // As the template's user: a contractor's run of someone else's service is refused like in the portal.
    const refused = action.handler({
      ...context({
        action: 'rotate-credentials',
        input: { service: 'component:default/invoice-service' },
      }),
      getInitiatorCredentials: async () =>
        mockCredentials.user('user:default/rafael-ortiz'),
    });
    await expect(refused).rejects.toThrow(/only the owners of this entity/);
    await backend.stop();
  });

  it('offers agents the actions and a proposal to confirm, never a run', async () => {
    const backend = await start();
    const invoke = (name: string, input: object, user = 'erik-larsen') =>
      request(backend.server)
        .post(`/api/n8n/.backstage/actions/v1/actions/n8n:${name}/invoke`)
        .set('authorization', as(user))
        .send(input);
    const listed = await invoke('list-workflow-actions', {});
    expect(listed.status).toBe(200);
    expect(listed.body.output.actions.map((a: any) => a.id)).toEqual([
      'request-access',
      'rotate-credentials',
    ]);
    const proposal = await invoke('propose-workflow-run', {
      actionId: 'rotate-credentials',
      input: { service: 'component:default/invoice-service' },
    });
    expect(proposal.status).toBe(200);
    expect(proposal.body.output).toEqual({
      confirmUrl: `/workflows?action=rotate-credentials&input=${encodeURIComponent(
        JSON.stringify({ service: 'component:default/invoice-service' }),
      )}`,
      entityRef: 'component:default/invoice-service',
      requiresApproval: false,
    });
    // The same checks as a start: a contractor may not, and is told why.
    const contractor = await invoke(
      'propose-workflow-run',
      {
        actionId: 'rotate-credentials',
        input: { service: 'component:default/invoice-service' },
      },
      'rafael-ortiz',
    );
    expect(contractor.status).toBe(403);
    const runs = await request(backend.server)
      .get('/api/n8n/runs')
      .set('authorization', as('erik-larsen'));
    expect(runs.body.items).toEqual([]);
    await backend.stop();
  });

  it('follows a run in flight when its backend stops to the end after another starts (PostgreSQL)', async () => {
    const prefix = `n8n_restart_${process.pid}_`;
    // No callback: only the follower can see the run end.
    const first = await start(prefix, { callback: undefined });
    const started = await request(first.server)
      .post('/api/n8n/actions/rotate-credentials/runs')
      .set('authorization', as('erik-larsen'))
      .send({ input: { service: 'component:default/invoice-service' } });
    expect(started.status).toBe(201);
    expect(started.body.status).toBe('running');
    await first.stop();

    const second = await start(prefix, { callback: undefined });
    const run = await until(
      async () =>
        (
          await request(second.server)
            .get(`/api/n8n/runs/${started.body.id}`)
            .set('authorization', as('erik-larsen'))
        ).body,
      body => body.status === 'success',
    );
    expect(run).toMatchObject({
      status: 'success',
      executionId: started.body.executionId,
      finishedAt: expect.any(String),
    });
    await second.stop();
    await dropDatabasesWithPrefix(prefix);
  });
});
