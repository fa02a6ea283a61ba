import {
  BasicPermission,
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { taskCreatePermission } from '@backstage/plugin-scaffolder-common/alpha';

/** Reading a service's cost data (OpenCost). */
export const costReadPermission = createPermission({
  name: 'opencost.cost.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Triggering an Argo CD sync of a service's application. */
export const deploymentSyncPermission = createPermission({
  name: 'argocd.application.sync',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Creating a service from a golden path: the scaffolder's own permission. */
export const scaffolderCreatePermission = taskCreatePermission;

/** Sending a prompt to the AI assistant. */
export const aiUsePermission = createPermission({
  name: 'ai-assistant.prompt.create',
  attributes: { action: 'create' },
});

/** Running an n8n workflow attached to a service. */
export const n8nWorkflowRunPermission = createPermission({
  name: 'n8n.workflow.run',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Migrating Feishu documents into a service's TechDocs. */
export const feishuMigrationRunPermission = createPermission({
  name: 'feishu-migration.migration.run',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

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

/**
 * The sensitive actions of the portal, by the key app-config uses for them
 * (e.g. `security.contractorPolicy.accessBoundaries.requiresApproval: [deployment.sync]`).
 */
export const SENSITIVE_ACTIONS = {
  'cost.read': costReadPermission,
  'deployment.sync': deploymentSyncPermission,
  'scaffolder.create': scaffolderCreatePermission,
  'ai.use': aiUsePermission,
  'n8n.run': n8nWorkflowRunPermission,
  'feishu.migrate': feishuMigrationRunPermission,
  'audit.read': auditReadPermission,
  'approval.decide': approvalDecidePermission,
} as const satisfies Record<string, BasicPermission | ResourcePermission>;

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

export const securityPermissions = Object.values(SENSITIVE_ACTIONS);
