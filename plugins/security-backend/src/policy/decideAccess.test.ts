import fc from 'fast-check';
import {
  ContractorRBACPolicy,
  ROLES,
  Role,
  SENSITIVE_ACTIONS,
  SENSITIVE_ACTION_KEYS,
} from '@internal/plugin-security-common';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import { taskReadPermission } from '@backstage/plugin-scaffolder-common/alpha';
import {
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  decideAccess,
  EntityFacts,
  evaluateOnEntity,
  PermissionQuery,
  permissionQueryOf,
} from './decideAccess';

const PERMISSIONS: Record<string, Permission | PermissionQuery> = {
  ...SENSITIVE_ACTIONS,
  'entity.read': catalogEntityReadPermission,
  'entity.refresh': catalogEntityRefreshPermission,
  'entity.delete': catalogEntityDeletePermission,
  'entity.create': catalogEntityCreatePermission,
  'location.create': catalogLocationCreatePermission,
  'kubernetes.proxy': kubernetesProxyPermission,
  'kubernetes.resources': kubernetesResourcesReadPermission,
  'task.read': taskReadPermission,
};

const query = (permission: Permission | PermissionQuery): PermissionQuery =>
  'attributes' in permission ? permissionQueryOf(permission) : permission;

const POLICY: ContractorRBACPolicy = {
  defaultRole: 'contractor-viewer',
  permissions: {
    canCreateServices: false,
    canViewCostData: false,
    canTriggerDeployments: false,
    canAccessProduction: false,
    allowedNamespaces: ['invoicing'],
    dataRetentionDays: 90,
  },
  accessBoundaries: {
    restrictedServices: ['component:default/payment-gateway'],
    allowedIntegrations: ['github', 'techdocs', 'ai-assistant'],
    requiresApproval: ['n8n.run', 'feishu.migrate'],
  },
};
const EMPLOYEE_RESOURCES = {
  'location.create': 'deny',
  'kubernetes.proxy': 'deny',
  'kubernetes.resources': 'allow',
  'task.read': 'own-task',
} as const;
const CONTRACTOR_RESOURCES = {
  'location.create': 'deny',
  'kubernetes.proxy': 'deny',
  // kubernetes is not among POLICY's allowedIntegrations
  'kubernetes.resources': 'deny',
  'task.read': 'own-task',
} as const;

// The expected policy, written out independently of decideAccess:
// allow | deny | owned | unrestricted | touch (= owned, unrestricted and not production) | own-task.
type Expectation =
  | 'allow'
  | 'deny'
  | 'owned'
  | 'unrestricted'
  | 'touch'
  | 'own-task';
const MATRIX: Record<Role, Record<string, Expectation>> = {
  admin: Object.fromEntries(Object.keys(PERMISSIONS).map(k => [k, 'allow'])),
  developer: {
    'cost.read': 'allow',
    'deployment.sync': 'owned',
    'scaffolder.create': 'allow',
    'ai.use': 'allow',
    'n8n.run': 'owned',
    'feishu.migrate': 'owned',
    'audit.read': 'deny',
    'approval.decide': 'allow',
    'entity.read': 'allow',
    'entity.refresh': 'allow',
    'entity.delete': 'owned',
    'entity.create': 'allow',
    ...EMPLOYEE_RESOURCES,
  },
  viewer: {
    'cost.read': 'allow',
    'deployment.sync': 'deny',
    'scaffolder.create': 'deny',
    'ai.use': 'allow',
    'n8n.run': 'deny',
    'feishu.migrate': 'deny',
    'audit.read': 'deny',
    'approval.decide': 'deny',
    'entity.read': 'allow',
    'entity.refresh': 'deny',
    'entity.delete': 'deny',
    'entity.create': 'deny',
    ...EMPLOYEE_RESOURCES,
  },
  'contractor-viewer': {
    'cost.read': 'deny',
    'deployment.sync': 'deny',
    'scaffolder.create': 'deny',
    'ai.use': 'allow',
    'n8n.run': 'deny',
    'feishu.migrate': 'deny',
    'audit.read': 'deny',
    'approval.decide': 'deny',
    'entity.read': 'unrestricted',
    'entity.refresh': 'deny',
    'entity.delete': 'deny',
    'entity.create': 'deny',
    ...CONTRACTOR_RESOURCES,
  },
  'contractor-developer': {
    'cost.read': 'deny',
    'deployment.sync': 'deny',
    'scaffolder.create': 'deny',
    'ai.use': 'allow',
    'n8n.run': 'touch',
    'feishu.migrate': 'touch',
    'audit.read': 'deny',
    'approval.decide': 'deny',
    'entity.read': 'unrestricted',
    'entity.refresh': 'touch',
    'entity.delete': 'touch',
    'entity.create': 'deny',
    ...CONTRACTOR_RESOURCES,
  },
};

function expectedAllowed(
  expectation: Expectation,
  facts: EntityFacts,
): boolean {
  switch (expectation) {
    case 'allow':
      return true;
    case 'deny':
      return false;
    case 'owned':
      return facts.owned;
    case 'unrestricted':
      return !facts.restricted;
    case 'touch':
      return facts.owned && !facts.restricted && !facts.production;
    case 'own-task':
      return facts.createdBySubject === true;
    default:
      throw new Error(expectation);
  }
}

const FACTS: EntityFacts[] = [false, true].flatMap(owned =>
  [false, true].flatMap(restricted =>
    [false, true].flatMap(production =>
      [false, true].map(createdBySubject => ({
        owned,
        restricted,
        production,
        createdBySubject,
      })),
    ),
  ),
);

describe('decideAccess', () => {
  const cases = ROLES.flatMap(role =>
    Object.keys(PERMISSIONS).flatMap(key =>
      FACTS.map(facts => [role, key, facts] as const),
    ),
  );

  it.each(cases)('decision matrix: %s, %s, %o', (role, key, facts) => {
    const decision = decideAccess(role, query(PERMISSIONS[key]), POLICY);
    const outcome = evaluateOnEntity(decision, facts);
    expect(outcome.allowed).toBe(expectedAllowed(MATRIX[role][key], facts));
    // Every denial says why.
    expect(outcome.allowed || typeof outcome.reason === 'string').toBe(true);
  });

  it('denies a permission it does not name to every role, admins included', () => {
    const unknown = createPermission({
      name: 'some-new-plugin.thing.delete',
      attributes: { action: 'delete' },
    });
    for (const role of ROLES) {
      const decision = decideAccess(role, query(unknown), POLICY);
      expect(decision).toEqual({
        result: 'deny',
        reason: expect.stringContaining('some-new-plugin.thing.delete'),
      });
    }
  });

  it('asks a contractor developer for an approval only for the actions the policy lists', () => {
    const facts = { owned: true, restricted: false, production: false };
    const run = evaluateOnEntity(
      decideAccess(
        'contractor-developer',
        query(SENSITIVE_ACTIONS['n8n.run']),
        POLICY,
      ),
      facts,
    );
    expect(run).toEqual({ allowed: true, requiresApproval: true });
    const refresh = evaluateOnEntity(
      decideAccess(
        'contractor-developer',
        query(catalogEntityRefreshPermission),
        POLICY,
      ),
      facts,
    );
    expect(refresh).toEqual({ allowed: true, requiresApproval: false });
  });

  const anyPolicy: fc.Arbitrary<ContractorRBACPolicy> = fc.record({
    defaultRole: fc.constantFrom(
      'contractor-viewer' as const,
      'contractor-developer' as const,
    ),
    permissions: fc.record({
      canCreateServices: fc.boolean(),
      canViewCostData: fc.boolean(),
      canTriggerDeployments: fc.boolean(),
      canAccessProduction: fc.boolean(),
      allowedNamespaces: fc.array(
        fc.constantFrom('invoicing', 'payments', 'default'),
      ),
      dataRetentionDays: fc.nat({ max: 3650 }),
    }),
    accessBoundaries: fc.record({
      restrictedServices: fc.array(
        fc.constantFrom(
          'component:default/payment-gateway',
          'component:default/ledger-service',
        ),
      ),
      allowedIntegrations: fc.subarray([
        'github',
        'techdocs',
        'ai-assistant',
        'argocd',
        'n8n',
      ]),
      requiresApproval: fc.subarray(SENSITIVE_ACTION_KEYS),
    }),
  });
  const anyContractorRole = fc.constantFrom<Role>(
    'contractor-viewer',
    'contractor-developer',
  );
  const anyPermissionKey = fc.constantFrom(...Object.keys(PERMISSIONS));
  const anyFacts = fc.record({
    owned: fc.boolean(),
    restricted: fc.boolean(),
    production: fc.boolean(),
  });

  it('property: a contractor is never allowed production or cost data unless config grants it', () => {
    fc.assert(
      fc.property(
        anyPolicy,
        anyContractorRole,
        anyPermissionKey,
        anyFacts,
        (policy, role, key, facts) => {
          const permission = PERMISSIONS[key];
          const { allowed } = evaluateOnEntity(
            decideAccess(role, query(permission), policy),
            facts,
          );
          const costWithoutGrant =
            key === 'cost.read' && !policy.permissions.canViewCostData;
          const touchesProductionWithoutGrant =
            facts.production &&
            query(permission).action !== 'read' &&
            query(permission).resourceType !== undefined &&
            !policy.permissions.canAccessProduction;
          return (
            !(costWithoutGrant || touchesProductionWithoutGrant) || !allowed
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: a contractor never reaches a restricted service, whatever the action', () => {
    fc.assert(
      fc.property(
        anyPolicy,
        anyContractorRole,
        anyPermissionKey,
        anyFacts,
        (policy, role, key, facts) => {
          const permission = PERMISSIONS[key];
          fc.pre('resourceType' in permission && facts.restricted);
          expect(
            evaluateOnEntity(
              decideAccess(role, query(permission), policy),
              facts,
            ).allowed,
          ).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
