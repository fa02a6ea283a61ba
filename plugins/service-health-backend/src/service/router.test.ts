import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  createServiceFactory,
  coreServices,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  loadDemoCatalog,
  RunningSandbox,
  SANDBOX_CREDENTIALS,
  startSandbox,
  UPSTREAMS,
} from '@internal/sandbox';
import request from 'supertest';
import { serviceHealthPlugin } from '../plugin';

jest.setTimeout(60_000);

const DEVELOPER = 'user:default/erik-larsen';
const CONTRACTOR = 'user:default/rafael-ortiz';
const as = (user: string) => mockCredentials.user.header(user);
const api = '/api/service-health';

/** The demo catalog's components; the contractor does not see payment-gateway (a restricted service). */
function visibleCatalog() {
  const entities = loadDemoCatalog()
    .entities.filter(e => e.kind === 'Component')
    .map(
      e =>
        ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: e.kind,
          metadata: { ...e.metadata, namespace: 'default' },
          spec: e.spec,
        } as Entity),
    );
  const mock = catalogServiceMock({ entities });
  return {
    ...mock,
    getEntityByRef: async (ref: any, options: any) => {
      const entity = await mock.getEntityByRef(ref, options);
      const caller = (options.credentials as BackstageCredentials)
        .principal as {
        userEntityRef?: string;
      };
      return caller.userEntityRef === CONTRACTOR &&
        entity?.metadata.name === 'payment-gateway'
        ? undefined
        : entity;
    },
  } as typeof mock;
}

type Fault = 'none' | 'down' | 'http-500' | 'slow' | 'garbage';

/** A proxy in front of one emulator that fails as told. */
async function startFaultyProxy(target: string) {
  const state = { fault: 'none' as Fault };
  const server = http.createServer(async (req, res) => {
    switch (state.fault) {
      case 'down':
        req.socket.destroy();
        return;
      case 'http-500':
        res.statusCode = 500;
        res.end('{"message":"internal error"}');
        return;
      case 'slow':
        setTimeout(() => res.end('[]'), 10_000).unref();
        return;
      case 'garbage':
        res.setHeader('content-type', 'application/json');
        res.end('<html>maintenance</html>');
        return;
      default:
    }
    const upstream = await fetch(`${target}${req.url}`, {
      headers: req.headers as Record<string, string>,
    });
    res.statusCode = upstream.status;
    res.setHeader('content-type', 'application/json');
    res.end(await upstream.text());
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('service-health routes against the sandbox', () => {
  let sandbox: RunningSandbox;
  let proxies: Record<
    'argocd' | 'datadog' | 'sentry' | 'github',
    Awaited<ReturnType<typeof startFaultyProxy>>
  >;
  let server: any;
  let stop: () => Promise<void>;
  const warnings: string[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    sandbox = await startSandbox({
      ports: Object.fromEntries(UPSTREAMS.map(u => [u, 0])),
    });
    proxies = {
      argocd: await startFaultyProxy(sandbox.urls.argocd),
      datadog: await startFaultyProxy(sandbox.urls.datadog),
      sentry: await startFaultyProxy(sandbox.urls.sentry),
      github: await startFaultyProxy(sandbox.urls.github),
    };
    const logger = mockServices.logger.mock();
    logger.warn.mockImplementation((message: string) => {
      warnings.push(message);
    });
    logger.child.mockReturnValue(logger as unknown as LoggerService);
    const backend = await startTestBackend({
      features: [
        serviceHealthPlugin,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: visibleCatalog,
        }),
        createServiceFactory({
          service: coreServices.logger,
          deps: {},
          factory: () => logger,
        }),
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [
                {
                  host: 'github.com',
                  apiBaseUrl: proxies.github.url,
                  token: SANDBOX_CREDENTIALS.githubToken,
                },
              ],
            },
            argocd: {
              baseUrl: proxies.argocd.url,
              token: SANDBOX_CREDENTIALS.argocdToken,
            },
            datadog: {
              apiBaseUrl: proxies.datadog.url,
              apiKey: SANDBOX_CREDENTIALS.datadogApiKey,
              appKey: SANDBOX_CREDENTIALS.datadogAppKey,
            },
            sentry: {
              baseUrl: proxies.sentry.url,
              organization: 'quillstack',
              token: SANDBOX_CREDENTIALS.sentryToken,
            },
            // Every read asks the upstream again, so the fault tests see each failure.
            serviceHealth: { cacheSeconds: 0, upstreamTimeoutMs: 500 },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(async () => {
    await stop();
    await Promise.all(Object.values(proxies).map(proxy => proxy.stop()));
    process.off('unhandledRejection', onUnhandled);
    await sandbox.stop();
  });

  const get = (path: string, user = DEVELOPER) =>
    request(server).get(`${api}${path}`).set('authorization', as(user));

  it('shows every environment of a service, the failed staging sync with its message', async () => {
    const res = await get(
      '/deployments?entityRef=component:default/fraud-screening',
    );
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((d: any) => [
        d.environment,
        d.syncStatus,
        d.operation?.phase,
      ]),
    ).toEqual([
      ['development', 'Synced', 'Succeeded'],
      ['staging', 'OutOfSync', 'Failed'],
      ['production', 'Synced', 'Running'],
    ]);
    expect(res.body.items[1].operation.message).toContain('admission webhook');
    expect(res.body.items[1].url).toBe(
      `${proxies.argocd.url}/applications/fraud-screening-staging`,
    );
    expect(res.body.freshness).toEqual({
      asOf: expect.any(String),
      stale: false,
    });
  });

  it('shows the alerting monitor first, Sentry issues with the spike, pull requests and the failing build', async () => {
    const monitors = await get('/monitors?entityRef=invoice-service');
    expect(monitors.body.items[0]).toMatchObject({ state: 'Alert' });
    expect(monitors.body.dashboardUrl).toContain('datadoghq.com');

    const errors = await get(
      '/errors?entityRef=component:default/invoice-service',
    );
    expect(errors.status).toBe(200);
    expect(
      Math.max(...errors.body.items.map((i: any) => i.eventsLast24h)),
    ).toBeGreaterThan(500);

    const changes = await get(
      '/changes?entityRef=component:default/pdf-renderer',
    );
    expect(changes.body.runs[0]).toMatchObject({ conclusion: 'failure' });
    expect(changes.body.pullRequests.length).toBeGreaterThan(0);
  });

  it('answers an agent acting for the person with the same signals, and nothing the person may not see', async () => {
    const invoke = (user: string, entityRef: string) =>
      request(server)
        .post(
          `${api}/.backstage/actions/v1/actions/service-health:get-service-health/invoke`,
        )
        .set('authorization', as(user))
        .send({ entityRef });
    const res = await invoke(DEVELOPER, 'invoice-service');
    expect(res.status).toBe(200);
    expect(res.body.output).toMatchObject({
      entityRef: 'component:default/invoice-service',
      monitorsNotOk: [expect.objectContaining({ state: 'Alert' })],
      unavailable: [],
    });
    expect(res.body.output.deployments).toHaveLength(3);
    const restricted = await invoke(CONTRACTOR, 'payment-gateway');
    expect(restricted.status).toBe(404);
  });

  it("serves Argo CD's applications read-only for the Roadie cards, only of services the caller may read", async () => {
    const all = await get('/argocd/api/applications');
    const forContractor = await get('/argocd/api/applications', CONTRACTOR);
    const names = (res: request.Response) =>
      res.body.items.map((a: any) => a.metadata.name) as string[];
    expect(names(all)).toContain('payment-gateway-prod');
    expect(names(forContractor)).not.toContain('payment-gateway-prod');
    expect(names(forContractor)).toContain('invoice-service-prod');
    const selected = await get(
      '/argocd/api/applications?selector=backstage-name=fraud-screening',
    );
    expect(names(selected)).toEqual([
      'fraud-screening-dev',
      'fraud-screening-staging',
      'fraud-screening-prod',
    ]);
    expect(selected.body.items[1].status.sync.status).toBe('OutOfSync');
    expect(
      (await get('/argocd/api/applications/payment-gateway-prod', CONTRACTOR))
        .status,
    ).toBe(404);
    expect(
      (await get('/argocd/api/applications/invoice-service-prod')).body.metadata
        .name,
    ).toBe('invoice-service-prod');
    const prod = (await get('/argocd/api/applications/invoice-service-prod'))
      .body;
    const revision = prod.status.history[0].revision;
    const metadata = await get(
      `/argocd/api/applications/invoice-service-prod/revisions/${revision}/metadata`,
    );
    expect(metadata.body).toMatchObject({
      message: expect.stringContaining('Release'),
    });
    expect(
      (
        await get(
          `/argocd/api/applications/payment-gateway-prod/revisions/${revision}/metadata`,
          CONTRACTOR,
        )
      ).status,
    ).toBe(404);
  });

  it('explains a missing annotation, and hides a restricted service from a contractor', async () => {
    const noArgo = await get(
      '/deployments?entityRef=component:default/quillstack-mobile',
    );
    expect(noArgo.status).toBe(400);
    expect(noArgo.body.error.message).toContain(
      'has no argocd/app-selector or argocd/app-name annotation',
    );
    const restricted = await get(
      '/deployments?entityRef=component:default/payment-gateway',
      CONTRACTOR,
    );
    expect(restricted.status).toBe(404);
    const forDeveloper = await get(
      '/deployments?entityRef=component:default/payment-gateway',
    );
    expect(forDeveloper.status).toBe(200);
    const anonymous = await request(server)
      .get(`${api}/deployments?entityRef=component:default/invoice-service`)
      .set('authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  const UPSTREAM_OF = {
    deployments: ['argocd', 'Argo CD'],
    monitors: ['datadog', 'Datadog'],
    errors: ['sentry', 'Sentry'],
    changes: ['github', 'GitHub'],
  } as const;

  it.each(
    (['deployments', 'monitors', 'errors', 'changes'] as const).flatMap(
      signal =>
        (['down', 'http-500', 'slow', 'garbage'] as const).map(
          fault => [signal, fault] as const,
        ),
    ),
  )(
    '%s with its upstream %s: the last answer with its age, one log line for the burst',
    async (signal, fault) => {
      const [upstream, name] = UPSTREAM_OF[signal];
      const proxy = proxies[upstream];
      const path = `/${signal}?entityRef=component:default/ledger-service`;
      proxy.state.fault = 'none';
      const good = await get(path);
      expect(good.status).toBe(200);
      expect(good.body.freshness.stale).toBe(false);
      warnings.length = 0;
      proxy.state.fault = fault;
      const first = await get(path);
      const second = await get(path);
      const { freshness: _fresh, ...goodData } = good.body;
      for (const res of [first, second]) {
        expect(res.status).toBe(200);
        const { freshness, ...data } = res.body;
        expect(data).toEqual(goodData);
        expect(freshness).toEqual({
          asOf: good.body.freshness.asOf,
          stale: true,
          problem: expect.stringContaining(name),
        });
      }
      expect(warnings).toHaveLength(1);
      expect(unhandled).toEqual([]);
      proxy.state.fault = 'none';
      expect((await get(path)).body.freshness.stale).toBe(false);
    },
  );

  it('answers 503 with the reason when an upstream fails and nothing was stored before', async () => {
    proxies.datadog.state.fault = 'http-500';
    const res = await get(
      '/monitors?entityRef=component:default/tax-calculator',
    );
    proxies.datadog.state.fault = 'none';
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain('no earlier answer');
  });
});
