import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { securityPlugin } from '../plugin';
import {
  catalogEntity,
  TRUSTED_ORG_SOURCES,
} from '../__testUtils__/catalogEntities';

const sentNotifications: unknown[] = [];
const capturedNotifications = createServiceFactory({
  service: notificationService,
  deps: {},
  factory: () => ({
    send: async (notification: unknown) => {
      sentNotifications.push(notification);
    },
  }),
});

const group = (name: string, parent?: string, managedByLocation?: string) =>
  catalogEntity(
    'Group',
    name,
    { type: 'team', children: [], ...(parent ? { parent } : {}) },
    [],
    managedByLocation,
  );
const user = (name: string, memberOf: string[]) =>
  catalogEntity('User', name, { memberOf }, memberOf);
const component = (name: string, owner: string, lifecycle: string) =>
  catalogEntity('Component', name, { type: 'service', owner, lifecycle });

function entities(): Entity[] {
  return [
    group('team-platform'),
    group('engineering'),
    group('team-billing', 'engineering'),
    group('contractors'),
    group('contractors-northwind', 'contractors'),
    user('alice-nguyen', ['team-platform']),
    user('erik-larsen', ['team-billing']),
    user('rafael-ortiz', ['contractors-northwind']),
    component('usage-metering', 'contractors-northwind', 'experimental'),
    component('reporting-service', 'contractors-northwind', 'production'),
    component('payment-gateway', 'team-payments', 'production'),
  ];
}

const SECURITY_CONFIG = {
  security: {
    defaultRole: 'viewer',
    roleCacheSeconds: 1,
    trustedOrgSources: TRUSTED_ORG_SOURCES,
    roles: [
      { group: 'group:default/team-platform', role: 'admin' },
      { group: 'group:default/engineering', role: 'developer' },
      { group: 'group:default/contractors', role: 'contractor-developer' },
    ],
    contractorPolicy: {
      defaultRole: 'contractor-viewer',
      permissions: {
        canViewCostData: false,
        canTriggerDeployments: false,
        canAccessProduction: false,
      },
      accessBoundaries: {
        restrictedServices: ['component:default/payment-gateway'],
        allowedIntegrations: ['github', 'techdocs'],
        requiresApproval: ['n8n.run'],
      },
    },
  },
};

async function startBackend(
  catalogEntities: Entity[],
  config: object = SECURITY_CONFIG,
) {
  return startTestBackend({
    features: [
      securityPlugin,
      catalogServiceMock.factory({ entities: catalogEntities }),
      capturedNotifications,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
}

const as = (name: string) =>
  mockCredentials.user.header(`user:default/${name}`);

describe('security access endpoints', () => {
  it('resolves roles from direct and inherited groups, contractor boundaries first', async () => {
    const backend = await startBackend(entities());
    const me = (name: string) =>
      request(backend.server)
        .get('/api/security/access/me')
        .set('authorization', as(name));

    const alice = await me('alice-nguyen');
    expect(alice.status).toBe(200);
    expect(alice.body.role).toBe('admin');

    const erik = await me('erik-larsen');
    expect(erik.body.role).toBe('developer');
    expect(erik.body.groups).toEqual(
      expect.arrayContaining([
        'group:default/team-billing',
        'group:default/engineering',
      ]),
    );

    const rafael = await me('rafael-ortiz');
    expect(rafael.body.role).toBe('contractor-developer');
    expect(rafael.body.actions['cost.read']).toEqual({
      allowed: false,
      reason: 'contractors do not see cost data',
    });
    expect(rafael.body.actions['audit.read'].allowed).toBe(false);

    // An agent acting for the person gets the same answer through the actions registry.
    const action = await request(backend.server)
      .post(
        '/api/security/.backstage/actions/v1/actions/security:get-my-access/invoke',
      )
      .set('authorization', as('rafael-ortiz'))
      .send({});
    expect(action.status).toBe(200);
    expect(action.body.output).toEqual(rafael.body);
    await backend.stop();
  });

  it('gives no membership through a Group or User that a repository declares, only through the trusted org source', async () => {
    const repository =
      'url:https://github.com/quillstack/usage-metering/blob/main/catalog-info.yaml';
    const backend = await startBackend([
      ...entities().filter(
        e => !['erik-larsen', 'rafael-ortiz'].includes(e.metadata.name),
      ),
      // spec.parent: team-platform and spec.members: [erik-larsen, rafael-ortiz], committed to a repository
      group('platform-friends', 'team-platform', repository),
      group('billing-friends', 'team-billing', repository),
      user('erik-larsen', ['team-billing', 'platform-friends']),
      user('rafael-ortiz', ['contractors-northwind', 'billing-friends']),
      catalogEntity('User', 'mallory', {}, ['team-platform'], repository),
      component('invoice-service', 'team-billing', 'experimental'),
    ]);
    const me = (name: string) =>
      request(backend.server)
        .get('/api/security/access/me')
        .set('authorization', as(name));

    const erik = await me('erik-larsen');
    expect(erik.body.role).toBe('developer');
    expect(erik.body.groups).not.toContain('group:default/platform-friends');
    expect(erik.body.groups).not.toContain('group:default/team-platform');

    const mallory = await me('mallory');
    expect(mallory.body.role).toBe('contractor-viewer');
    expect(mallory.body.groups).toEqual([]);

    // The contractor does not pass "owned by" for team-billing's service through the declared group.
    const rafael = await request(backend.server)
      .post('/api/security/access/validate')
      .set('authorization', as('rafael-ortiz'))
      .send({
        action: 'n8n.run',
        entityRef: 'component:default/invoice-service',
      });
    expect(rafael.body).toEqual({
      allowed: false,
      reason: 'only the owners of this entity may do this',
    });
    await backend.stop();
  });

  it('compares lifecycle as the catalog does: Production is production', async () => {
    const backend = await startBackend([
      ...entities(),
      component('billing-exporter', 'contractors-northwind', 'Production'),
    ]);
    const res = await request(backend.server)
      .post('/api/security/access/validate')
      .set('authorization', as('rafael-ortiz'))
      .send({
        action: 'n8n.run',
        entityRef: 'component:default/billing-exporter',
      });
    expect(res.body).toEqual({
      allowed: false,
      reason: 'contractors may not touch production services',
    });
    await backend.stop();
  });

  it('resolves the caller once per access/me request and remembers an unknown user briefly', async () => {
    const catalog = catalogServiceMock({ entities: entities() });
    const lookups = jest.spyOn(catalog, 'getEntityByRef');
    const backend = await startTestBackend({
      features: [
        securityPlugin,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
        capturedNotifications,
        mockServices.rootConfig.factory({
          data: {
            security: { ...SECURITY_CONFIG.security, roleCacheSeconds: 60 },
          },
        }),
      ],
    });
    for (let i = 0; i < 5; i++) {
      const res = await request(backend.server)
        .get('/api/security/access/me')
        .set('authorization', as('someone-new'));
      expect(res.body.role).toBe('contractor-viewer');
    }
    // One lookup for the first request's eight actions; the next four within the unknown-user window.
    expect(
      lookups.mock.calls.filter(([ref]) => ref === 'user:default/someone-new'),
    ).toHaveLength(1);
    await backend.stop();
  });

  it('treats a user the catalog does not know (yet) with the contractor default role, not the default role', async () => {
    const backend = await startBackend(entities());
    const stranger = await request(backend.server)
      .get('/api/security/access/me')
      .set('authorization', as('someone-new'));
    expect(stranger.body.role).toBe('contractor-viewer');
    expect(stranger.body.actions['cost.read'].allowed).toBe(false);
    await backend.stop();
  });

  it('validates a contractor action against one service: restricted, production, own and approval', async () => {
    const backend = await startBackend(entities());
    const validate = (body: object) =>
      request(backend.server)
        .post('/api/security/access/validate')
        .set('authorization', as('rafael-ortiz'))
        .send(body);

    expect(
      (
        await validate({
          action: 'n8n.run',
          entityRef: 'component:default/usage-metering',
        })
      ).body,
    ).toEqual({
      allowed: true,
      requiresApproval: true,
      // Rafael's own team owns usage-metering, so the admins decide.
      approvers: ['group:default/team-platform'],
    });
    expect(
      (
        await validate({
          action: 'n8n.run',
          entityRef: 'component:default/reporting-service',
        })
      ).body,
    ).toEqual({
      allowed: false,
      reason: 'contractors may not touch production services',
    });
    expect(
      (
        await validate({
          action: 'feishu.migrate',
          entityRef: 'component:default/payment-gateway',
        })
      ).body.allowed,
    ).toBe(false);
    await backend.stop();
  });

  it('validates many services at once with the same decisions as one by one, in order', async () => {
    const backend = await startBackend(entities());
    const refs = [
      'component:default/usage-metering',
      'component:default/reporting-service',
      'component:default/payment-gateway',
      'component:default/no-such-service',
    ];
    const many = await request(backend.server)
      .post('/api/security/access/validate-many')
      .set('authorization', as('rafael-ortiz'))
      .send({ action: 'n8n.run', entityRefs: refs });
    expect(many.status).toBe(200);
    for (const [i, entityRef] of refs.slice(0, 3).entries()) {
      const one = await request(backend.server)
        .post('/api/security/access/validate')
        .set('authorization', as('rafael-ortiz'))
        .send({ action: 'n8n.run', entityRef });
      expect(many.body.results[i]).toEqual(one.body);
    }
    expect(many.body.results[3]).toEqual({
      allowed: false,
      // Read with the caller's own view of the catalog: missing and hidden answer alike.
      reason:
        'No entity component:default/no-such-service in the catalog, or you may not see it',
    });
    const tooMany = await request(backend.server)
      .post('/api/security/access/validate-many')
      .set('authorization', as('rafael-ortiz'))
      .send({
        action: 'n8n.run',
        entityRefs: Array.from(
          { length: 1001 },
          (_, i) => `component:default/s${i}`,
        ),
      });
    expect(tooMany.status).toBe(400);
    const forOthers = await request(backend.server)
      .post('/api/security/access/validate-many')
      .set('authorization', as('rafael-ortiz'))
      .send({
        action: 'n8n.run',
        entityRefs: refs,
        user: 'user:default/erik-larsen',
      });
    expect(forOthers.status).toBe(403);
    expect(forOthers.body.error.message).toBe(
      'Only admins may check the access of other users',
    );
    const malformed = await request(backend.server)
      .post('/api/security/access/validate-many')
      .set('authorization', as('rafael-ortiz'))
      .send({ action: 'n8n.run', entityRefs: ['component:'] });
    expect(malformed.status).toBe(400);
    await backend.stop();
  });

  it('answers malformed input with 400 and a reason, and checking others with 403 unless admin', async () => {
    const backend = await startBackend(entities());
    const server = backend.server;
    const badAction = await request(server)
      .post('/api/security/access/validate')
      .set('authorization', as('erik-larsen'))
      .send({
        action: 'rm -rf',
        entityRef: 'component:default/usage-metering',
      });
    expect(badAction.status).toBe(400);
    expect(badAction.body.error.message).toContain(
      'request/body/action must be equal to one of the allowed values: cost.read',
    );

    const badRef = await request(server)
      .post('/api/security/access/validate')
      .set('authorization', as('erik-larsen'))
      .send({ action: 'n8n.run', entityRef: 'not a ref:' });
    expect(badRef.status).toBe(400);

    const missing = await request(server)
      .post('/api/security/access/validate')
      .set('authorization', as('erik-larsen'))
      .send({ action: 'n8n.run', entityRef: 'component:default/nope' });
    expect(missing.status).toBe(404);

    const someoneElse = await request(server)
      .get('/api/security/access/contractor')
      .query({ resourceType: 'cost.read', user: 'user:default/rafael-ortiz' })
      .set('authorization', as('erik-larsen'));
    expect(someoneElse.status).toBe(403);
    const asAdmin = await request(server)
      .get('/api/security/access/contractor')
      .query({ resourceType: 'cost.read', user: 'user:default/rafael-ortiz' })
      .set('authorization', as('alice-nguyen'));
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.allowed).toBe(false);

    const anonymous = await request(server)
      .get('/api/security/access/me')
      .set('authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    await backend.stop();
  });

  it('a change of group membership changes decisions once the role cache expires', async () => {
    const catalogEntities = entities();
    const backend = await startBackend(catalogEntities);
    const me = () =>
      request(backend.server)
        .get('/api/security/access/me')
        .set('authorization', as('rafael-ortiz'));
    expect((await me()).body.role).toBe('contractor-developer');

    // Rafael is hired: the catalog now lists him in team-billing only (the in-memory catalog shares
    // its entity objects with this test).
    const rafael = catalogEntities.find(
      e => e.metadata.name === 'rafael-ortiz',
    )!;
    Object.assign(rafael, user('rafael-ortiz', ['team-billing']));

    const deadline = Date.now() + 10_000;
    let role = (await me()).body.role;
    while (role !== 'developer' && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 250));
      role = (await me()).body.role;
    }
    expect(role).toBe('developer');
    await backend.stop();
  }, 20_000);

  it('fails startup on an unknown role, naming the config key', async () => {
    const broken = {
      security: {
        roles: [{ group: 'group:default/team-platform', role: 'superuser' }],
      },
    };
    await expect(startBackend(entities(), broken)).rejects.toThrow(
      "Invalid config at security.roles[0].role: unknown role 'superuser'",
    );
  });
});
