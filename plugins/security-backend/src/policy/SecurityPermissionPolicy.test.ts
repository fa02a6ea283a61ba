import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { readSecurityConfig } from '../config/readSecurityConfig';
import { RoleResolver, Subject } from '../service/RoleResolver';
import { SecurityPermissionPolicy } from './SecurityPermissionPolicy';

const config = readSecurityConfig(
  new ConfigReader({
    security: {
      contractorPolicy: {
        permissions: { canViewCostData: false },
        accessBoundaries: {
          restrictedServices: ['component:default/payment-gateway'],
          allowedIntegrations: [],
        },
      },
    },
  }),
);

const costRead = createPermission({
  name: 'opencost.cost.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});
const workflowRun = createPermission({
  name: 'n8n.workflow.run',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});
const aiUse = createPermission({
  name: 'ai-assistant.prompt.create',
  attributes: { action: 'create' },
});

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const anHourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

function policyFor(subject: Subject) {
  const roles = { subjectOf: async () => subject } as unknown as RoleResolver;
  const policy = new SecurityPermissionPolicy(roles, config);
  return (permission: typeof costRead | typeof aiUse) =>
    policy.handle({ permission }, {
      identity: undefined as any,
      token: 'token',
      info: {
        userEntityRef: subject.userRef,
        ownershipEntityRefs: subject.ownershipRefs,
      },
    } as any);
}

const contractor = (grants: Subject['grants']): Subject => ({
  userRef: 'user:default/rafael-ortiz',
  role: 'contractor-developer',
  ownershipRefs: ['user:default/rafael-ortiz', 'group:default/contractors'],
  grants,
});

const isEntity = (kind: string, name: string) => ({
  allOf: [
    expect.objectContaining({
      rule: 'IS_ENTITY_KIND',
      params: { kinds: [kind] },
    }),
    expect.objectContaining({
      rule: 'HAS_METADATA',
      params: { key: 'namespace', value: 'default' },
    }),
    expect.objectContaining({
      rule: 'HAS_METADATA',
      params: { key: 'name', value: name },
    }),
  ],
});

describe('SecurityPermissionPolicy with grants', () => {
  it('a grant turns a denial into "only the granted entities"', async () => {
    const decide = policyFor(
      contractor([
        {
          action: 'cost.read',
          entityRef: 'component:default/usage-metering',
          expiresAt: inAnHour(),
        },
      ]),
    );
    expect(await decide(costRead)).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: { anyOf: [isEntity('component', 'usage-metering')] },
    });
  });

  it('a grant widens a conditional decision to the granted entity too', async () => {
    const decide = policyFor({
      userRef: 'user:default/erik-larsen',
      role: 'developer',
      ownershipRefs: ['user:default/erik-larsen', 'group:default/team-billing'],
      grants: [
        {
          action: 'n8n.run',
          entityRef: 'component:default/payment-gateway',
          expiresAt: inAnHour(),
        },
      ],
    });
    const decision = (await decide(workflowRun)) as any;
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    expect(decision.conditions.anyOf).toHaveLength(2);
    expect(decision.conditions.anyOf[0]).toMatchObject({
      rule: 'IS_ENTITY_OWNER',
    });
    expect(decision.conditions.anyOf[1]).toEqual(
      isEntity('component', 'payment-gateway'),
    );
  });

  it('an expired grant, a grant of another action and a restricted service for a contractor give nothing', async () => {
    for (const grants of [
      [
        {
          action: 'cost.read' as const,
          entityRef: 'component:default/usage-metering',
          expiresAt: anHourAgo(),
        },
      ],
      [
        {
          action: 'deployment.sync' as const,
          entityRef: 'component:default/usage-metering',
          expiresAt: inAnHour(),
        },
      ],
      [
        {
          action: 'cost.read' as const,
          entityRef: 'component:default/payment-gateway',
          expiresAt: inAnHour(),
        },
      ],
    ]) {
      expect(await policyFor(contractor(grants))(costRead)).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('a grant of an action on no entity allows it', async () => {
    expect(await policyFor(contractor([]))(aiUse)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(
      await policyFor(
        contractor([{ action: 'ai.use', expiresAt: inAnHour() }]),
      )(aiUse),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
