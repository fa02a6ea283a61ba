import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { securityPlugin } from '../plugin';
import {
  catalogEntity,
  TRUSTED_ORG_SOURCES,
} from '../__testUtils__/catalogEntities';

const group = (name: string, parent?: string) =>
  catalogEntity('Group', name, {
    type: 'team',
    children: [],
    ...(parent ? { parent } : {}),
  });
const user = (name: string, memberOf: string[]) =>
  catalogEntity('User', name, { memberOf }, memberOf);
const component = (name: string, owner: string, lifecycle: string) =>
  catalogEntity('Component', name, { type: 'service', owner, lifecycle });

const ENTITIES: Entity[] = [
  group('team-platform'),
  group('team-billing'),
  group('contractors'),
  user('alice-nguyen', ['team-platform']),
  user('erik-larsen', ['team-billing']),
  user('rafael-ortiz', ['contractors']),
  component('usage-metering', 'contractors', 'experimental'),
  component('reporting-service', 'team-billing', 'production'),
  component('payment-gateway', 'team-payments', 'production'),
];

const CONFIG = {
  security: {
    defaultRole: 'viewer',
    roleCacheSeconds: 60,
    trustedOrgSources: TRUSTED_ORG_SOURCES,
    roles: [
      { group: 'group:default/team-platform', role: 'admin' },
      { group: 'group:default/team-billing', role: 'developer' },
      { group: 'group:default/contractors', role: 'contractor-developer' },
    ],
    contractorPolicy: {
      permissions: { canViewCostData: false },
      accessBoundaries: {
        restrictedServices: ['component:default/payment-gateway'],
      },
    },
    grants: { maxHours: 72 },
  },
};

const as = (name: string) =>
  mockCredentials.user.header(`user:default/${name}`);
const asPlugin = (pluginId: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(`plugin:${pluginId}`),
    targetPluginId: 'security',
  });

const GRANT = {
  user: 'user:default/rafael-ortiz',
  action: 'cost.read',
  entityRef: 'component:default/usage-metering',
  hours: 8,
  reason: 'quarterly budget review',
  source: 'n8n:run:7f1c',
};

// Stands in for the permission policy (tested in SecurityPermissionPolicy.test): only the admin revokes.
const adminOnlyPermissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    authorize: async (requests: unknown[], { credentials }: any) =>
      requests.map(() => ({
        result:
          credentials.principal.userEntityRef === 'user:default/alice-nguyen'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
    authorizeConditional: async (requests: unknown[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  }),
});

describe('time-boxed grants', () => {
  async function start() {
    return startTestBackend({
      features: [
        securityPlugin,
        catalogServiceMock.factory({ entities: ENTITIES }),
        mockServices.rootConfig.factory({ data: CONFIG }),
        adminOnlyPermissions,
      ],
    });
  }

  it('a grant from the n8n plugin allows the action on that entity at once, until an admin revokes it', async () => {
    const backend = await start();
    const server = backend.server;
    const me = async () =>
      (
        await request(server)
          .get('/api/security/access/me')
          .set('authorization', as('rafael-ortiz'))
      ).body.actions['cost.read'];
    const validate = (entityRef: string) =>
      request(server)
        .post('/api/security/access/validate')
        .set('authorization', as('rafael-ortiz'))
        .send({ action: 'cost.read', entityRef });

    expect(await me()).toEqual({
      allowed: false,
      reason: 'contractors do not see cost data',
    });

    const recorded = await request(server)
      .post('/api/security/grants')
      .set('authorization', asPlugin('n8n'))
      .send(GRANT);
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({
      userRef: 'user:default/rafael-ortiz',
      action: 'cost.read',
      entityRef: 'component:default/usage-metering',
      source: 'n8n:run:7f1c',
    });
    // The same callback delivered twice: one grant.
    const again = await request(server)
      .post('/api/security/grants')
      .set('authorization', asPlugin('n8n'))
      .send(GRANT);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(recorded.body.id);

    // Grants are read fresh by the security plugin: no wait for security.roleCacheSeconds.
    expect(await me()).toEqual({
      allowed: true,
      reason: `only granted on component:default/usage-metering until ${recorded.body.expiresAt}`,
    });
    expect((await validate('component:default/usage-metering')).body).toEqual({
      allowed: true,
      reason: `granted until ${recorded.body.expiresAt}`,
    });
    expect(
      (await validate('component:default/reporting-service')).body.allowed,
    ).toBe(false);

    const mine = await request(server)
      .get('/api/security/grants')
      .set('authorization', as('rafael-ortiz'));
    expect(mine.body.items.map((g: any) => g.id)).toEqual([recorded.body.id]);

    const notAdmin = await request(server)
      .post(`/api/security/grants/${recorded.body.id}/revoke`)
      .set('authorization', as('erik-larsen'))
      .send({ reason: 'not mine to end' });
    expect(notAdmin.status).toBe(403);

    const revoked = await request(server)
      .post(`/api/security/grants/${recorded.body.id}/revoke`)
      .set('authorization', as('alice-nguyen'))
      .send({ reason: 'review finished' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedBy).toBe('user:default/alice-nguyen');
    expect((await me()).allowed).toBe(false);
    const twice = await request(server)
      .post(`/api/security/grants/${recorded.body.id}/revoke`)
      .set('authorization', as('alice-nguyen'))
      .send({ reason: 'again' });
    expect(twice.status).toBe(409);

    const audit = await request(server)
      .get('/api/security/audit')
      .set('authorization', as('alice-nguyen'));
    const actions = audit.body.items.map((r: any) => [r.action, r.outcome]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['security.grant', 'succeeded'],
        ['security.grant.revoke', 'succeeded'],
        ['security.grant.revoke', 'denied'],
      ]),
    );
    expect(
      audit.body.items.filter((r: any) => r.action === 'security.grant'),
    ).toHaveLength(1);
    await backend.stop();
  });

  it('refuses what no grant may give, with a reason, and records nothing', async () => {
    const backend = await start();
    const post = (body: object, caller = asPlugin('n8n')) =>
      request(backend.server)
        .post('/api/security/grants')
        .set('authorization', caller)
        .send(body);

    const cases: Array<[object, string, number, RegExp]> = [
      [{ ...GRANT, source: 'a' }, asPlugin('opencost'), 403, /fromPlugins/],
      [{ ...GRANT, source: 'b' }, as('alice-nguyen'), 403, /./],
      [
        { ...GRANT, source: 'c', action: 'audit.read' },
        asPlugin('n8n'),
        400,
        /cannot be granted/,
      ],
      [
        { ...GRANT, source: 'd', hours: 100 },
        asPlugin('n8n'),
        400,
        /at most 72 hours/,
      ],
      [
        { ...GRANT, source: 'e', entityRef: undefined },
        asPlugin('n8n'),
        400,
        /entityRef is required/,
      ],
      [
        { ...GRANT, source: 'f', action: 'ai.use' },
        asPlugin('n8n'),
        400,
        /leave entityRef out/,
      ],
      [
        {
          ...GRANT,
          source: 'g',
          entityRef: 'component:default/payment-gateway',
        },
        asPlugin('n8n'),
        409,
        /restricted for contractors/,
      ],
      [
        { ...GRANT, source: 'h', entityRef: 'component:default/nowhere' },
        asPlugin('n8n'),
        404,
        /No entity/,
      ],
      [{ ...GRANT, source: 'i', hours: 0 }, asPlugin('n8n'), 400, /hours/],
    ];
    for (const [body, caller, status, message] of cases) {
      const res = await post(body, caller);
      expect([res.status, res.body.error?.message]).toEqual([
        status,
        expect.stringMatching(message),
      ]);
    }
    const all = await request(backend.server)
      .get('/api/security/grants?active=false')
      .set('authorization', as('alice-nguyen'));
    expect(all.body.items).toEqual([]);

    const others = await request(backend.server)
      .get('/api/security/grants?user=user:default/rafael-ortiz')
      .set('authorization', as('erik-larsen'));
    expect(others.status).toBe(403);
    await backend.stop();
  });
});
