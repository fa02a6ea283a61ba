import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/** Reading the audit trail. */
export const auditReadPermission = createPermission({
  name: 'security.audit.read',
  attributes: { action: 'read' },
});

/** Approving or denying someone else's approval request. */
export const approvalDecidePermission = createPermission({
  name: 'security.approval.decide',
  attributes: { action: 'update' },
});

/** Ending someone's time-boxed grant before it expires. */
export const grantRevokePermission = createPermission({
  name: 'security.grant.revoke',
  attributes: { action: 'delete' },
});

/** The permissions the security plugin defines and registers; every other plugin registers its own. */
export const securityPermissions = [
  auditReadPermission,
  approvalDecidePermission,
  grantRevokePermission,
];

/** A permission as the policy recognises it: its name, action and resource type. */
export interface PermissionFacts {
  name: string;
  action?: 'create' | 'read' | 'update' | 'delete';
  /** e.g. 'catalog-entity' or 'scaffolder-task'; undefined for basic permissions. */
  resourceType?: string;
}

/**
 * The sensitive actions app-config names (e.g. `security.contractorPolicy.accessBoundaries.requiresApproval:
 * [deployment.sync]`) and the permission each stands for. The permissions themselves are defined in each
 * owning plugin's `-common` package and registered by its backend; this table is how the policy knows which
 * of them a contractor boundary or an approval applies to.
 */
export const SENSITIVE_ACTIONS = {
  'cost.read': {
    name: 'opencost.cost.read',
    action: 'read',
    resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  },
  'deployment.sync': {
    name: 'argocd.application.sync',
    action: 'update',
    resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  },
  // The scaffolder's own taskCreatePermission.
  'scaffolder.create': { name: 'scaffolder.task.create', action: 'create' },
  'ai.use': { name: 'ai-assistant.prompt.create', action: 'create' },
  'n8n.run': {
    name: 'n8n.workflow.run',
    action: 'create',
    resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  },
  'feishu.migrate': {
    name: 'feishu-migration.migration.run',
    action: 'create',
    resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  },
  'audit.read': { name: auditReadPermission.name, action: 'read' },
  'approval.decide': { name: approvalDecidePermission.name, action: 'update' },
} as const satisfies Record<string, PermissionFacts>;

export type SensitiveAction = keyof typeof SENSITIVE_ACTIONS;

export const SENSITIVE_ACTION_KEYS = Object.keys(
  SENSITIVE_ACTIONS,
) as SensitiveAction[];

export function isSensitiveAction(value: string): value is SensitiveAction {
  return Object.prototype.hasOwnProperty.call(SENSITIVE_ACTIONS, value);
}

/** The sensitive action a permission stands for, if any. */
export function sensitiveActionOf(
  permissionName: string,
): SensitiveAction | undefined {
  return SENSITIVE_ACTION_KEYS.find(
    key => SENSITIVE_ACTIONS[key].name === permissionName,
  );
}
