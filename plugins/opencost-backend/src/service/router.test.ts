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
// The real security plugin decides, as in the portal's backend.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import securityPlugin from '@internal/plugin-security-backend';
import {
  loadDemoCatalog,
  RunningSandbox,
  servedEntities,
  startSandbox,
  UPSTREAMS,
} from '@internal/sandbox';
import request from 'supertest';
import { opencostPlugin } from '../plugin';

jest.setTimeout(90_000);

const ADMIN = 'user:default/alice-nguyen';
const OWNER = 'user:default/erik-larsen'; // team-billing owns invoice-service
const OTHER_TEAM = 'user:default/ivan-morozov';
const CONTRACTOR = 'user:default/rafael-ortiz'; // contractors-northwind owns usage-metering
const ORG_SOURCE = 'file:/srv/org/teams.yaml';
const as = (user: string) => mockCredentials.user.header(user);
const INVOICE = 'component:default/invoice-service';

/** An owner pointing the annotation at another team's service, and a service without one. */
const EXTRA_COMPONENTS: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'sneaky-service',
      namespace: 'default',
      annotations: { 'opencost/service-label': 'payment-gateway' },
    },
    spec: {
      type: 'service',
      owner: 'group:default/team-billing',
      lifecycle: 'experimental',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'uncosted-service', namespace: 'default' },
    spec: {
      type: 'service',
      owner: 'group:default/team-billing',
      lifecycle: 'experimental',
    },
  },
];

describe('opencost routes, on PostgreSQL with the security policy', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
  let sandbox: RunningSandbox;
  let server: any;
  let knex: Awaited<ReturnType<typeof databases.init>>;
  let stop: () => Promise<void>;
  // sneaky-service claims payment-gateway's label too, so lists leave payment-gateway out: its costs
  // would not be only its own.
  const costed = loadDemoCatalog().components.filter(
    c =>
      c.annotations['opencost/service-label'] && c.name !== 'payment-gateway',
  );

  beforeAll(async () => {
    sandbox = await startSandbox({
      ports: Object.fromEntries(UPSTREAMS.map(u => [u, 0])),
    });
    knex = await databases.init('POSTGRES_15');
    const backend = await startTestBackend({
      features: [
        opencostPlugin,
        securityPlugin,
        mockServices.database.factory({ knex }),
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () =>
            catalogServiceMock({
              entities: [
                ...(servedEntities(loadDemoCatalog(), {
                  orgSource: ORG_SOURCE,
                }) as Entity[]),
                ...EXTRA_COMPONENTS,
              ],
            }),
        }),
        mockServices.rootConfig.factory({
          data: {
            opencost: { baseUrl: sandbox.urls.opencost },
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
    // The last test stops the sandbox itself.
    await sandbox.stop().catch(() => undefined);
  });

  const get = (user: string, path: string, query: Record<string, unknown>) =>
    request(server)
      .get(`/api/opencost${path}`)
      .query(query)
      .set('authorization', as(user));
  const refresh = (user: string, entityRef: string) =>
    request(server)
      .post('/api/opencost/refresh')
      .set('authorization', as(user))
      .send({ entityRef });
  const audited = async (actor: string, action: string) =>
    (
      await request(server)
        .get('/api/security/audit')
        .query({ actor, action, limit: 50 })
        .set('authorization', as(ADMIN))
    ).body.items as Array<{ outcome: string; details: any }>;

  it("lets an owner refresh the service's costs, audited; another team's developer may not", async () => {
    const res = await refresh(OWNER, INVOICE);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ asOf: expect.any(String), stale: false });
    expect((await audited(OWNER, 'cost.refresh')).map(e => e.outcome)).toEqual([
      'succeeded',
    ]);

    const refused = await refresh(OTHER_TEAM, INVOICE);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain(
      'Only the owners of component:default/invoice-service (group:default/team-billing) and admins',
    );
    expect(
      (await audited(OTHER_TEAM, 'cost.refresh')).map(e => e.outcome),
    ).toEqual(['denied']);
  });

  it("shows a service's costs over a window: parts that add up, one row per day, and how fresh they are", async () => {
    const res = await get(OTHER_TEAM, '/costs', {
      entityRef: INVOICE,
      days: 30,
    });
    expect(res.status).toBe(200);
    const { breakdown, daily, freshness, source, currency } = res.body;
    expect({
      source,
      currency,
      days: daily.length,
      stale: freshness.stale,
    }).toEqual({
      source: { aggregate: 'label', name: 'invoice-service' },
      currency: 'USD',
      days: 30,
      stale: false,
    });
    const parts = [
      'cpu',
      'memory',
      'storage',
      'network',
      'gpu',
      'loadBalancer',
      'other',
    ]
      .map(part => breakdown[part])
      .reduce((a, b) => a + b, 0);
    expect(parts).toBeCloseTo(breakdown.total, 6);
    expect(breakdown.total).toBeCloseTo(
      daily.reduce((sum: number, day: any) => sum + day.total, 0),
      6,
    );
    expect(breakdown.cpu).toBeGreaterThan(breakdown.memory);
  });

  it('flags the spiking service week over week, and right-sizes the over-provisioned one', async () => {
    const trends = await get(ADMIN, '/trends', { entityRef: 'usage-metering' });
    expect(trends.status).toBe(200);
    expect(trends.body.weekOverWeek).toMatchObject({ flagged: true });
    expect(trends.body.weekOverWeek.change).toBeGreaterThan(0.2);

    const sizing = await get(ADMIN, '/recommendations', {
      entityRef: 'reporting-service',
    });
    expect(sizing.status).toBe(200);
    const { cpu, memory, monthlySavings, headroom } = sizing.body;
    expect(headroom).toBe(0.3);
    expect(cpu.recommended).toBeGreaterThanOrEqual(cpu.peakUsage * 1.3);
    expect(cpu.recommended).toBeLessThan(cpu.requested / 2);
    expect(memory.recommended).toBeLessThan(memory.requested / 2);
    expect(monthlySavings).toBeGreaterThan(0);
  });

  it('benchmarks a service among the services of its type', async () => {
    const res = await get(OWNER, '/benchmarks', { entityRef: INVOICE });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      type: 'service',
      peers: costed.filter(c => c.type === 'service').length,
    });
    expect(res.body.percentile).toBeGreaterThan(0);
    expect(res.body.percentile).toBeLessThanOrEqual(100);
    expect(res.body.perCpuCoreHour).toBeCloseTo(0.031611, 4);
  });

  it('gives an overview of every costed service and each team', async () => {
    const res = await get(OTHER_TEAM, '/overview', {});
    expect(res.status).toBe(200);
    const { services, teams, topMovers } = res.body;
    expect(services.map((s: any) => s.entityRef).sort()).toEqual(
      costed.map(c => `component:default/${c.name}`).sort(),
    );
    const sum = services.reduce((total: number, s: any) => total + s.total, 0);
    expect(
      teams.reduce((total: number, t: any) => total + t.total, 0),
    ).toBeCloseTo(sum, 6);
    expect(topMovers.length).toBeGreaterThan(0);
    // Owners as full refs, whatever short form the catalog-info.yaml used, so the page can link them.
    expect(teams.map((t: any) => t.owner)).toContain(
      'group:default/team-billing',
    );
    for (const team of teams) expect(team.owner).toMatch(/^group:default\//);

    // A page of the services, sorted and filtered on the server.
    const page = await get(OTHER_TEAM, '/overview', {
      limit: 2,
      offset: 1,
      sort: 'title',
      order: 'asc',
    });
    expect(page.status).toBe(200);
    expect(page.body.totalServices).toBe(services.length);
    const byTitle = [...services].sort((a: any, b: any) =>
      a.title.localeCompare(b.title),
    );
    expect(page.body.services.map((s: any) => s.entityRef)).toEqual(
      byTitle.slice(1, 3).map((s: any) => s.entityRef),
    );
    const filtered = await get(OTHER_TEAM, '/overview', { q: 'INVOICE' });
    expect(filtered.body.services.map((s: any) => s.entityRef)).toEqual([
      INVOICE,
    ]);
    expect(filtered.body.totalServices).toBe(1);
    const badSort = await get(OTHER_TEAM, '/overview', { sort: 'cost' });
    expect(badSort.status).toBe(400);
    expect(badSort.body.error.message).toContain('sort');
  });

  it('answers an agent acting for the person with the same figures, and refuses what the person may not see', async () => {
    const invoke = (user: string, action: string, input: object) =>
      request(server)
        .post(
          `/api/opencost/.backstage/actions/v1/actions/opencost:${action}/invoke`,
        )
        .set('authorization', as(user))
        .send(input);
    const costs = await invoke(OWNER, 'get-service-costs', {
      entityRef: 'invoice-service',
      days: 7,
    });
    expect(costs.status).toBe(200);
    const direct = await get(OWNER, '/costs', { entityRef: INVOICE, days: 7 });
    expect(costs.body.output).toMatchObject({
      entityRef: INVOICE,
      currency: 'USD',
      breakdown: direct.body.breakdown,
      stale: false,
      weekOverWeek: expect.objectContaining({ flagged: expect.any(Boolean) }),
    });
    const overview = await invoke(OTHER_TEAM, 'get-cost-overview', {});
    expect(overview.status).toBe(200);
    expect(overview.body.output.services).toHaveLength(costed.length);
    expect(
      (
        await invoke(CONTRACTOR, 'get-service-costs', {
          entityRef: 'invoice-service',
        })
      ).status,
    ).toBe(403);
    expect((await invoke(CONTRACTOR, 'get-cost-overview', {})).status).toBe(
      403,
    );
  });

  it.each([
    ['/costs', { entityRef: INVOICE }],
    ['/trends', { entityRef: INVOICE }],
    ['/benchmarks', { entityRef: INVOICE }],
    ['/recommendations', { entityRef: INVOICE }],
    ['/costs', { entityRef: 'component:default/usage-metering' }],
    ['/overview', {}],
  ])(
    'refuses %s to a contractor without canViewCostData, audited',
    async (path, query) => {
      const before = (await audited(CONTRACTOR, 'cost.read')).length;
      const res = await get(CONTRACTOR, path, query);
      expect({ status: res.status, message: res.body.error?.message }).toEqual({
        status: 403,
        message: expect.stringContaining('contractors do not see cost data'),
      });
      const after = await audited(CONTRACTOR, 'cost.read');
      expect(after.length).toBeGreaterThan(before);
      expect(after.every(entry => entry.outcome === 'denied')).toBe(true);
    },
  );

  it('refuses an annotation that points at another service, says which annotation is missing, and 404s an unknown service', async () => {
    const sneaky = await get(OWNER, '/costs', { entityRef: 'sneaky-service' });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.error.message).toBe(
      'opencost/service-label of component:default/sneaky-service is "payment-gateway", but a service\'s costs are read from its own label: use "sneaky-service"',
    );
    const missing = await get(OWNER, '/costs', {
      entityRef: 'uncosted-service',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain(
      'has no opencost/service-label',
    );
    expect(
      (await get(OWNER, '/costs', { entityRef: 'no-such-service' })).status,
    ).toBe(404);
  });

  it('answers bad input with a 400 that names it', async () => {
    const tooLong = await get(OWNER, '/costs', {
      entityRef: INVOICE,
      days: 500,
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain('days');
    const badRef = await get(OWNER, '/costs', { entityRef: 'component:' });
    expect(badRef.status).toBe(400);
    const noBody = await request(server)
      .post('/api/opencost/refresh')
      .set('authorization', as(OWNER))
      .send({ entity: INVOICE });
    expect(noBody.status).toBe(400);
  });

  it('serves the stored costs, marked stale with their age, while OpenCost is down', async () => {
    await knex('opencost_synced_days').update({
      synced_at: new Date(Date.now() - 3 * 86_400_000),
    });
    // A replica reads the last sync time at most once a second.
    await new Promise(resolve => setTimeout(resolve, 1_100));
    await sandbox.stop();
    const res = await get(OWNER, '/costs', { entityRef: INVOICE, days: 7 });
    expect(res.status).toBe(200);
    expect(res.body.daily).toHaveLength(7);
    expect(res.body.freshness).toMatchObject({
      stale: true,
      problem:
        'OpenCost could not be read for 3 days; these are the last synced figures',
    });
    const refreshed = await refresh(OWNER, INVOICE);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({
      stale: true,
      problem: expect.stringContaining('OpenCost sync of label:app stopped'),
    });
    expect((await audited(OWNER, 'cost.refresh')).map(e => e.outcome)).toEqual([
      'failed',
      'succeeded',
    ]);
  });
});
