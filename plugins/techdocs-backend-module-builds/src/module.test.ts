import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import techdocsBackend from '@backstage/plugin-techdocs-backend';
import { TECHDOCS_PUBLISHED_TOPIC } from './builds/ScheduledDocsBuilds';
import { techdocsModuleScheduledBuilds } from './module';

jest.setTimeout(120_000);

const FIXTURES = path.resolve(__dirname, '__fixtures__');

function documentedComponent(name: string, folder: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      annotations: {
        'backstage.io/techdocs-ref': 'dir:.',
        'backstage.io/managed-by-location': `file:${path.join(
          FIXTURES,
          folder,
          'catalog-info.yaml',
        )}`,
        'backstage.io/managed-by-origin-location': `file:${path.join(
          FIXTURES,
          folder,
          'catalog-info.yaml',
        )}`,
      },
    },
    spec: {
      type: 'service',
      owner: 'group:default/team-a',
      lifecycle: 'production',
    },
  };
}

const DOCUMENTED = documentedComponent('documented', 'documented');
const BROKEN = documentedComponent('broken', 'broken');
/** Readable by the portal and by team members, never by the contractor. */
const RESTRICTED = documentedComponent('restricted', 'documented');
const CONTRACTOR = 'user:default/contractor';

describe('scheduled TechDocs builds, with the real techdocs backend and mkdocs', () => {
  const publishDirectory = fs.mkdtempSync(
    path.join(os.tmpdir(), 'techdocs-builds-'),
  );
  const events = mockServices.events.mock();
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const catalog = catalogServiceMock({
      entities: [DOCUMENTED, BROKEN, RESTRICTED],
    });
    // As the permission policy would: the contractor cannot read the restricted service.
    const readAsThePolicyWould: typeof catalog.getEntityByRef = async (
      ref,
      options,
    ) => {
      const { principal } = (
        options as { credentials: { principal: { userEntityRef?: string } } }
      ).credentials;
      const target = typeof ref === 'string' ? ref : stringifyEntityRef(ref);
      return principal.userEntityRef === CONTRACTOR &&
        target === stringifyEntityRef(RESTRICTED)
        ? undefined
        : catalog.getEntityByRef(ref, options);
    };
    const backend = await startTestBackend({
      features: [
        techdocsBackend,
        techdocsModuleScheduledBuilds,
        events.factory,
        // A request without a token is nobody's, as in production.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        // The real scheduler, so passes repeat as in production.
        schedulerServiceFactory,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () =>
            new Proxy(catalog, {
              get(target, property) {
                if (property === 'getEntityByRef') return readAsThePolicyWould;
                const value = Reflect.get(target, property);
                return typeof value === 'function' ? value.bind(target) : value;
              },
            }),
        }),
        mockServices.rootConfig.factory({
          data: {
            techdocs: {
              builder: 'local',
              generator: {
                runIn: 'local',
                mkdocs: { omitTechdocsCorePlugin: true },
              },
              publisher: { type: 'local', local: { publishDirectory } },
              scheduledBuilds: { checkEverySeconds: 1 },
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
    fs.rmSync(publishDirectory, { recursive: true, force: true });
  });

  const statusOf = (name: string, user = 'user:default/member') =>
    request(server)
      .get(`/api/techdocs/build-status/default/component/${name}`)
      .set('authorization', mockCredentials.user.header(user));

  async function until(name: string, status: string) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await statusOf(name);
      if (res.body.status === status) return res.body;
      if (Date.now() > deadline) {
        throw new Error(
          `${name} never became ${status}: ${JSON.stringify(res.body)}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  }

  it('builds every documented entity without anyone opening its docs, records a failed build with its error, and announces new docs once', async () => {
    const built = await until('documented', 'built');
    expect(built.lastSuccessAt).toEqual(expect.any(String));
    expect(
      fs.existsSync(
        path.join(publishDirectory, 'default/component/documented/index.html'),
      ),
    ).toBe(true);

    const failed = await until('broken', 'failed');
    expect(failed.error).toContain('docs_dir');
    expect(failed.lastSuccessAt).toBeUndefined();

    // Later passes find nothing new: each build was announced exactly once.
    await new Promise(resolve => setTimeout(resolve, 2_500));
    const announced = events.publish.mock.calls
      .map(([event]) => event)
      .filter(event => event.topic === TECHDOCS_PUBLISHED_TOPIC)
      .map(event => (event.eventPayload as { entityRef: string }).entityRef);
    expect(announced.sort()).toEqual([
      'component:default/documented',
      'component:default/restricted',
    ]);
  });

  it("shows a build's status only to whoever may read the entity, and answers bad input with a 400", async () => {
    await until('restricted', 'built');
    expect((await statusOf('restricted', CONTRACTOR)).status).toBe(404);
    expect((await statusOf('documented', CONTRACTOR)).status).toBe(200);
    expect((await statusOf('no-such-service')).status).toBe(404);
    const tooLong = await statusOf('x'.repeat(300));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain('at most 253 characters');
    const slashed = await request(server)
      .get('/api/techdocs/build-status/default/a%2Fb/x')
      .set('authorization', mockCredentials.user.header('user:default/member'));
    expect(slashed.status).toBe(400);
    expect(
      (
        await request(server).get(
          '/api/techdocs/build-status/default/component/documented',
        )
      ).status,
    ).toBe(401);
  });
});
