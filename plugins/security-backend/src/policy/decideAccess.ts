import {
  isResourcePermission,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  ContractorRBACPolicy,
  isContractorRole,
  PermissionFacts,
  Role,
  sensitiveActionOf,
} from '@internal/plugin-security-common';

/** What a permission asks for, independent of the permission framework's types. */
export type PermissionQuery = PermissionFacts;

/** The parts of a permission the access rules look at. */
export function permissionQueryOf(permission: Permission): PermissionQuery {
  return {
    name: permission.name,
    action: permission.attributes.action,
    resourceType: isResourcePermission(permission)
      ? permission.resourceType
      : undefined,
  };
}

/** A condition on the resource the permission is about. */
export type EntityRule =
  | 'owned-by-subject'
  | 'not-restricted'
  | 'not-production'
  /** A scaffolder task the subject started. */
  | 'created-by-subject';

export type AccessDecision =
  | { result: 'allow'; requiresApproval: boolean }
  | { result: 'deny'; reason: string }
  | { result: 'conditional'; rules: EntityRule[]; requiresApproval: boolean };

/** What is known about the resource a decision is applied to. */
export interface EntityFacts {
  owned: boolean;
  restricted: boolean;
  production: boolean;
  createdBySubject?: boolean;
}

const allow = (requiresApproval = false): AccessDecision => ({
  result: 'allow',
  requiresApproval,
});
const deny = (reason: string): AccessDecision => ({ result: 'deny', reason });
const when = (
  rules: EntityRule[],
  requiresApproval = false,
): AccessDecision => ({
  result: 'conditional',
  rules,
  requiresApproval,
});

interface RuleContext {
  role: Role;
  policy: ContractorRBACPolicy;
  /** The contractor policy lists this permission's sensitive action in requiresApproval. */
  needsApproval: boolean;
}

type PermissionRule = (context: RuleContext) => AccessDecision;

type RoleDecisions = Record<Role, AccessDecision | PermissionRule>;

function byRole(decisions: RoleDecisions): PermissionRule {
  return context => {
    const decision = decisions[context.role];
    return typeof decision === 'function' ? decision(context) : decision;
  };
}

const ADMIN_ONLY = (reason: string) =>
  byRole({
    admin: allow(),
    developer: deny(reason),
    viewer: deny(reason),
    'contractor-viewer': deny(reason),
    'contractor-developer': deny(reason),
  });

/** Reading something that belongs to nobody in particular: employees yes, contractors only when the policy allows it. */
const EMPLOYEES_READ = (contractors: PermissionRule) =>
  byRole({
    admin: allow(),
    developer: allow(),
    viewer: allow(),
    'contractor-viewer': contractors,
    'contractor-developer': contractors,
  });

/** Owners' rules for a contractor developer touching a service: owned, not restricted, not production. */
const contractorTouch = ({ policy, needsApproval }: RuleContext) =>
  when(
    policy.permissions.canAccessProduction
      ? ['owned-by-subject', 'not-restricted']
      : ['owned-by-subject', 'not-restricted', 'not-production'],
    needsApproval,
  );

const integrationAllowed =
  (integration: string, label: string): PermissionRule =>
  ({ policy, needsApproval }) =>
    policy.accessBoundaries.allowedIntegrations.includes(integration)
      ? allow(needsApproval)
      : deny(
          `${label} is not among the contractor policy's allowedIntegrations`,
        );

const createsServices: PermissionRule = ({ policy, needsApproval }) =>
  policy.permissions.canCreateServices
    ? allow(needsApproval)
    : deny('the contractor policy does not allow creating services');

const CONTRACTORS_MAY_NOT = deny('contractors may not do this');
const VIEWERS_ONLY_READ = deny('viewers may only read');
const CONTRACTOR_VIEWERS_ONLY_READ = deny('contractor viewers may only read');

/**
 * Every permission the installed plugins define, by name, and who gets it. A permission that is not named
 * here is denied to everyone, admins included: a new plugin's permission must be added here (and to the
 * permission matrix test, which reads the installed permissions from the running backend) before it works.
 */
const PERMISSION_RULES: Record<string, PermissionRule> = {
  // Catalog
  'catalog.entity.read': EMPLOYEES_READ(() => when(['not-restricted'])),
  'catalog.entity.create': byRole({
    admin: allow(),
    developer: allow(),
    viewer: VIEWERS_ONLY_READ,
    'contractor-viewer': CONTRACTOR_VIEWERS_ONLY_READ,
    'contractor-developer': createsServices,
  }),
  'catalog.entity.refresh': byRole({
    admin: allow(),
    developer: allow(),
    viewer: VIEWERS_ONLY_READ,
    'contractor-viewer': CONTRACTOR_VIEWERS_ONLY_READ,
    'contractor-developer': contractorTouch,
  }),
  'catalog.entity.delete': byRole({
    admin: allow(),
    developer: when(['owned-by-subject']),
    viewer: VIEWERS_ONLY_READ,
    'contractor-viewer': CONTRACTOR_VIEWERS_ONLY_READ,
    'contractor-developer': contractorTouch,
  }),
  'catalog.entity.validate': EMPLOYEES_READ(() => allow()),
  // Locations decide which entities (and so which groups and roles) exist: admins only.
  'catalog.location.read': EMPLOYEES_READ(() => CONTRACTORS_MAY_NOT),
  'catalog.location.create': ADMIN_ONLY('only admins may register locations'),
  'catalog.location.analyze': ADMIN_ONLY('only admins may register locations'),
  'catalog.location.delete': ADMIN_ONLY('only admins may remove locations'),
  'catalog.entities.unprocessed.read': ADMIN_ONLY(
    'only admins see unprocessed entities',
  ),
  'catalog.entities.unprocessed.delete': ADMIN_ONLY(
    'only admins remove unprocessed entities',
  ),
  'catalog.ingestion.read': ADMIN_ONLY('only admins see catalog ingestion'),
  'catalog.ingestion.manage': ADMIN_ONLY(
    'only admins manage catalog ingestion',
  ),

  // Scaffolder
  'scaffolder.task.create': byRole({
    admin: allow(),
    developer: allow(),
    viewer: VIEWERS_ONLY_READ,
    'contractor-viewer': CONTRACTOR_VIEWERS_ONLY_READ,
    'contractor-developer': createsServices,
  }),
  // Task parameters and logs can hold what the person typed: only the task's creator (and admins) see them.
  'scaffolder.task.read': byRole({
    admin: allow(),
    developer: when(['created-by-subject']),
    viewer: when(['created-by-subject']),
    'contractor-viewer': when(['created-by-subject']),
    'contractor-developer': when(['created-by-subject']),
  }),
  'scaffolder.task.cancel': byRole({
    admin: allow(),
    developer: when(['created-by-subject']),
    viewer: VIEWERS_ONLY_READ,
    'contractor-viewer': CONTRACTOR_VIEWERS_ONLY_READ,
    'contractor-developer': when(['created-by-subject']),
  }),
  'scaffolder.action.execute': byRole({
    admin: allow(),
    developer: allow(),
    viewer: VIEWERS_ONLY_READ,
    'contractor-viewer': CONTRACTOR_VIEWERS_ONLY_READ,
    // Executing a template's steps is part of the task creation already approved.
    'contractor-developer': ({ policy }) =>
      policy.permissions.canCreateServices
        ? allow()
        : deny('the contractor policy does not allow creating services'),
  }),
  'scaffolder.template.parameter.read': EMPLOYEES_READ(createsServices),
  'scaffolder.template.step.read': EMPLOYEES_READ(createsServices),
  // A dry run takes a template from the request and runs its fetch steps with the portal's GitHub token:
  // only template authors (admins) may, or anyone could read any repository the token reaches.
  'scaffolder.template.dry-run': ADMIN_ONLY(
    'only admins may dry-run templates (the template editor)',
  ),
  'scaffolder.template.management': byRole({
    admin: allow(),
    developer: allow(),
    viewer: VIEWERS_ONLY_READ,
    'contractor-viewer': CONTRACTORS_MAY_NOT,
    'contractor-developer': CONTRACTORS_MAY_NOT,
  }),

  // Kubernetes: the proxy acts with the cluster's service-account token, so it is for admins only.
  'kubernetes.proxy': ADMIN_ONLY(
    'only admins may use the Kubernetes proxy (it acts with the cluster service account)',
  ),
  // Contractors' namespaces and restricted services are enforced on the objects themselves
  // (ContractorBoundedObjectsProvider).
  'kubernetes.clusters.read': EMPLOYEES_READ(
    integrationAllowed('kubernetes', 'Kubernetes'),
  ),
  'kubernetes.resources.read': EMPLOYEES_READ(
    integrationAllowed('kubernetes', 'Kubernetes'),
  ),

  // The portal's sensitive actions (security-common's SENSITIVE_ACTIONS), defined by the plugins that own them
  'opencost.cost.read': EMPLOYEES_READ(({ policy, needsApproval }) =>
    policy.permissions.canViewCostData
      ? when(['not-restricted'], needsApproval)
      : deny('contractors do not see cost data'),
  ),
  'argocd.application.sync': byRole({
    admin: allow(),
    developer: when(['owned-by-subject']),
    viewer: VIEWERS_ONLY_READ,
    'contractor-viewer': CONTRACTOR_VIEWERS_ONLY_READ,
    'contractor-developer': context =>
      context.policy.permissions.canTriggerDeployments
        ? contractorTouch(context)
        : deny('the contractor policy does not allow triggering deployments'),
  }),
  'ai-assistant.prompt.create': EMPLOYEES_READ(
    integrationAllowed('ai-assistant', 'The AI assistant'),
  ),
  'n8n.workflow.run': byRole({
    admin: allow(),
    developer: when(['owned-by-subject']),
    viewer: VIEWERS_ONLY_READ,
    'contractor-viewer': CONTRACTOR_VIEWERS_ONLY_READ,
    'contractor-developer': contractorTouch,
  }),
  'feishu-migration.migration.run': byRole({
    admin: allow(),
    developer: when(['owned-by-subject']),
    viewer: VIEWERS_ONLY_READ,
    'contractor-viewer': CONTRACTOR_VIEWERS_ONLY_READ,
    'contractor-developer': contractorTouch,
  }),
  'security.audit.read': ADMIN_ONLY('only admins read the audit trail'),
  'security.grant.revoke': ADMIN_ONLY('only admins revoke grants'),
  'security.approval.decide': byRole({
    admin: allow(),
    developer: allow(),
    viewer: deny('viewers do not decide approvals'),
    'contractor-viewer': deny('contractors do not decide approvals'),
    'contractor-developer': deny('contractors do not decide approvals'),
  }),
};

/** The names of every permission the policy decides; anything else is denied. */
export const NAMED_PERMISSIONS = Object.keys(PERMISSION_RULES);

/**
 * The portal's access rules as a pure function of role, permission and contractor policy.
 * Conditional decisions name rules about the target resource; the permission policy turns them into
 * catalog (or scaffolder task) conditions, and evaluateOnEntity applies them to known facts.
 */
export function decideAccess(
  role: Role,
  permission: PermissionQuery,
  policy: ContractorRBACPolicy,
): AccessDecision {
  const rule = Object.prototype.hasOwnProperty.call(
    PERMISSION_RULES,
    permission.name,
  )
    ? PERMISSION_RULES[permission.name]
    : undefined;
  if (!rule) {
    return deny(
      `the portal's access policy does not name the permission ${permission.name}`,
    );
  }
  const action = sensitiveActionOf(permission.name);
  const needsApproval =
    isContractorRole(role) &&
    action !== undefined &&
    policy.accessBoundaries.requiresApproval.includes(action);
  return rule({ role, policy, needsApproval });
}

const RULE_HOLDS: Record<EntityRule, (facts: EntityFacts) => boolean> = {
  'owned-by-subject': facts => facts.owned,
  'not-restricted': facts => !facts.restricted,
  'not-production': facts => !facts.production,
  'created-by-subject': facts => facts.createdBySubject === true,
};

const RULE_FAILURE: Record<EntityRule, string> = {
  'owned-by-subject': 'only the owners of this entity may do this',
  'not-restricted': 'this service is restricted for contractors',
  'not-production': 'contractors may not touch production services',
  'created-by-subject': 'only the person who started this task may do this',
};

/** Applies a decision to a resource: allow or deny, with the reason for a denial. */
export function evaluateOnEntity(
  decision: AccessDecision,
  facts: EntityFacts,
): { allowed: boolean; reason?: string; requiresApproval: boolean } {
  if (decision.result === 'deny') {
    return { allowed: false, reason: decision.reason, requiresApproval: false };
  }
  if (decision.result === 'allow') {
    return { allowed: true, requiresApproval: decision.requiresApproval };
  }
  const failed = decision.rules.find(rule => !RULE_HOLDS[rule](facts));
  return failed
    ? { allowed: false, reason: RULE_FAILURE[failed], requiresApproval: false }
    : { allowed: true, requiresApproval: decision.requiresApproval };
}
