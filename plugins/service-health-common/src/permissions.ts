import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Triggering an Argo CD sync of one of a service's applications; the resource is the service. The
 * security policy knows it as the sensitive action `deployment.sync`.
 */
export const deploymentSyncPermission = createPermission({
  name: 'argocd.application.sync',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Every permission the service-health plugin defines; its backend registers them. */
export const serviceHealthPermissions = [deploymentSyncPermission];
