import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
// The real security plugin decides, as in the portal's backend.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import securityPlugin from '@internal/plugin-security-backend';
import {
  loadDemoCatalog,
  RunningSandbox,
  SANDBOX_CREDENTIALS,
  servedEntities,
  startSandbox,
  UPSTREAMS,
} from '@internal/sandbox';
import request from 'supertest';
import { serviceHealthPlugin } from '../plugin';

jest.setTimeout(90_000);

const ADMIN = 'user:default/alice-nguyen';
const OWNER = 'user:default/erik-larsen'; // team-billing owns invoice-service
const OTHER_TEAM = 'user:default/ivan-morozov';
const CONTRACTOR = 'user:default/rafael-ortiz'; // contractors-northwind owns usage-metering
const ORG_SOURCE = 'file:/srv/org/teams.yaml';
const as = (user: string) => mockCredentials.user.header(user);

describe('deployment sync, on PostgreSQL with the security policy', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
  let sandbox: RunningSandbox;
  let server: any;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    sandbox = await startSandbox({
      ports: Object.fromEntries(UPSTREAMS.map(u => [u, 0])),
    });
    const knex = await databases.init('POSTGRES_15');
    const backend = await startTestBackend({
      features: [
        serviceHealthPlugin,
        securityPlugin,
        mockServices.database.factory({ knex }),
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () =>
            catalogServiceMock({
              entities: servedEntities(loadDemoCatalog(), {
                orgSource: ORG_SOURCE,
              }) as Entity[],
            }),
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [{ host: 'github.com', apiBaseUrl: sandbox.urls.github }],
            },
            argocd: {
              baseUrl: sandbox.urls.argocd,
              token: SANDBOX_CREDENTIALS.argocdToken,
            },
            security: {
              trustedOrgSources: [ORG_SOURCE],
              roles: [
                { group: 'group:default/team-platform', role: 'admin' },
                { group: 'group:default/engineering', role: 'developer' },
                {
                  group: 'group:default/contractors-northwind',
                  role: 'contractor-developer',
                },
              ],
              contractorPolicy: {
                permissions: { canTriggerDeployments: true },
                accessBoundaries: { requiresApproval: ['deployment.sync'] },
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
    await stop();
    await sandbox.stop();
  });

  const sync = (user: string, entityRef: string, application: string) =>
    request(server)
      .post('/api/service-health/deployments/sync')
      .set('authorization', as(user))
      .send({ entityRef, application });

  const audited = async (actor: string) =>
    (
      await request(server)
        .get('/api/security/audit')
        .query({ actor, action: 'deployment.sync', limit: 50 })
        .set('authorization', as(ADMIN))
    ).body.items as Array<{ outcome: string; details: any }>;

  it('lets an owner sync and follow the sync, audited', async () => {
    const res = await sync(
      OWNER,
      'component:default/invoice-service',
      'invoice-service-dev',
    );
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      application: 'invoice-service-dev',
      operation: { phase: 'Running' },
    });
    const followed = await request(server)
      .get('/api/service-health/deployments')
      .query({ entityRef: 'component:default/invoice-service', refresh: true })
      .set('authorization', as(OWNER));
    expect(
      followed.body.items.find(
        (d: any) => d.application === 'invoice-service-dev',
      ).operation.phase,
    ).toBe('Running');
    // The emulator finishes a sync after 3 s; a refreshing reader sees it then, not a minute later.
    await new Promise(resolve => setTimeout(resolve, 3500));
    const done = await request(server)
      .get('/api/service-health/deployments')
      .query({ entityRef: 'component:default/invoice-service', refresh: true })
      .set('authorization', as(OWNER));
    expect(
      done.body.items.find((d: any) => d.application === 'invoice-service-dev')
        .operation.phase,
    ).toBe('Succeeded');
    expect(await audited(OWNER)).toEqual([
      expect.objectContaining({
        outcome: 'succeeded',
        details: expect.objectContaining({
          application: 'invoice-service-dev',
        }),
      }),
    ]);
  });

  it("refuses another team's developer and an application that is not the service's, audited", async () => {
    const notOwner = await sync(
      OTHER_TEAM,
      'component:default/invoice-service',
      'invoice-service-dev',
    );
    expect(notOwner.status).toBe(403);
    expect(notOwner.body.error.message).toContain('only the owners');
    const elsewhere = await sync(
      OWNER,
      'component:default/invoice-service',
      'payment-gateway-dev',
    );
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.message).toContain(
      "is not one of component:default/invoice-service's Argo CD applications",
    );
    expect((await audited(OTHER_TEAM)).map(r => r.outcome)).toEqual(['denied']);
  });

  it('never lets a contractor sync production, and uses an approved request exactly once', async () => {
    const production = await sync(
      CONTRACTOR,
      'component:default/usage-metering',
      'usage-metering-prod',
    );
    expect(production.status).toBe(403);
    expect(production.body.error.message).toContain(
      'contractors never sync production',
    );

    const unapproved = await sync(
      CONTRACTOR,
      'component:default/usage-metering',
      'usage-metering-dev',
    );
    expect(unapproved.status).toBe(403);
    expect(unapproved.body.error.message).toContain('needs an approval');

    const asked = await request(server)
      .post('/api/security/approvals')
      .set('authorization', as(CONTRACTOR))
      .send({
        action: 'deployment.sync',
        entityRef: 'component:default/usage-metering',
        justification: 'roll out the fixed config to development',
      });
    expect(asked.status).toBe(201);
    const decided = await request(server)
      .post(`/api/security/approvals/${asked.body.id}/decision`)
      .set('authorization', as(ADMIN))
      .send({ decision: 'approve', reason: 'ok for development' });
    expect(decided.status).toBe(200);

    const [first, second] = await Promise.all([
      sync(
        CONTRACTOR,
        'component:default/usage-metering',
        'usage-metering-dev',
      ),
      sync(
        CONTRACTOR,
        'component:default/usage-metering',
        'usage-metering-dev',
      ),
    ]);
    expect([first.status, second.status].sort()).toEqual([202, 403]);
    expect((await audited(CONTRACTOR)).map(r => r.outcome).sort()).toEqual([
      'denied',
      'denied',
      'denied',
      'succeeded',
    ]);
  });
});
