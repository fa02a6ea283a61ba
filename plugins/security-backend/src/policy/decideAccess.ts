import {
  isResourcePermission,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  ContractorRBACPolicy,
  isContractorRole,
  Role,
  sensitiveActionOf,
} from '@internal/plugin-security-common';

/** What a permission asks for, independent of the permission framework's types. */
export interface PermissionQuery {
  name: string;
  action?: 'create' | 'read' | 'update' | 'delete';
  /** 'catalog-entity' for permissions about one service; undefined for basic permissions. */
  resourceType?: string;
}

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

/** A condition on the catalog entity the permission is about. */
export type EntityRule =
  | 'owned-by-subject'
  | 'not-restricted'
  | 'not-production';

export type AccessDecision =
  | { result: 'allow'; requiresApproval: boolean }
  | { result: 'deny'; reason: string }
  | { result: 'conditional'; rules: EntityRule[]; requiresApproval: boolean };

/** What is known about the entity a decision is applied to. */
export interface EntityFacts {
  owned: boolean;
  restricted: boolean;
  production: boolean;
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

function decideForEmployee(
  role: Role,
  permission: PermissionQuery,
): AccessDecision {
  const action = sensitiveActionOf(permission.name);
  if (role === 'admin') {
    return allow();
  }
  if (action === 'audit.read') {
    return deny('only admins read the audit trail');
  }
  if (role === 'developer') {
    if (
      action === 'deployment.sync' ||
      action === 'n8n.run' ||
      action === 'feishu.migrate'
    ) {
      return when(['owned-by-subject']);
    }
    return allow();
  }
  // viewer
  if (permission.action === 'read' || action === 'ai.use') {
    return allow();
  }
  return deny('viewers may only read');
}

function decideForContractor(
  role: Role,
  permission: PermissionQuery,
  policy: ContractorRBACPolicy,
): AccessDecision {
  const action = sensitiveActionOf(permission.name);
  const grants = policy.permissions;
  const needsApproval =
    action !== undefined &&
    policy.accessBoundaries.requiresApproval.includes(action);
  const onEntity = permission.resourceType === 'catalog-entity';

  if (action === 'audit.read' || action === 'approval.decide') {
    return deny('contractors cannot read the audit trail or decide approvals');
  }
  if (action === 'cost.read') {
    return grants.canViewCostData
      ? when(['not-restricted'])
      : deny('contractors do not see cost data');
  }
  if (action === 'ai.use') {
    return policy.accessBoundaries.allowedIntegrations.includes('ai-assistant')
      ? allow(needsApproval)
      : deny(
          'the AI assistant is not among the contractor policy allowedIntegrations',
        );
  }
  if (permission.action === 'read') {
    return onEntity ? when(['not-restricted']) : allow();
  }
  if (role === 'contractor-viewer') {
    return deny('contractor viewers may only read');
  }

  // contractor-developer
  const touchRules: EntityRule[] = grants.canAccessProduction
    ? ['owned-by-subject', 'not-restricted']
    : ['owned-by-subject', 'not-restricted', 'not-production'];
  if (
    action === 'scaffolder.create' ||
    permission.name === 'catalog.entity.create'
  ) {
    return grants.canCreateServices
      ? allow(needsApproval)
      : deny('the contractor policy does not allow creating services');
  }
  if (action === 'deployment.sync') {
    return grants.canTriggerDeployments
      ? when(touchRules, needsApproval)
      : deny('the contractor policy does not allow triggering deployments');
  }
  if (onEntity) {
    return when(touchRules, needsApproval);
  }
  return deny('contractors may not perform this action');
}

/**
 * The portal's access rules as a pure function of role, permission and contractor policy.
 * Conditional decisions name rules about the target entity; the permission policy turns them into
 * catalog conditions, and evaluateOnEntity applies them to known facts.
 */
export function decideAccess(
  role: Role,
  permission: PermissionQuery,
  policy: ContractorRBACPolicy,
): AccessDecision {
  return isContractorRole(role)
    ? decideForContractor(role, permission, policy)
    : decideForEmployee(role, permission);
}

const RULE_HOLDS: Record<EntityRule, (facts: EntityFacts) => boolean> = {
  'owned-by-subject': facts => facts.owned,
  'not-restricted': facts => !facts.restricted,
  'not-production': facts => !facts.production,
};

const RULE_FAILURE: Record<EntityRule, string> = {
  'owned-by-subject': 'only the owners of this entity may do this',
  'not-restricted': 'this service is restricted for contractors',
  'not-production': 'contractors may not touch production services',
};

/** Applies a decision to an entity: allow or deny, with the reason for a denial. */
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
