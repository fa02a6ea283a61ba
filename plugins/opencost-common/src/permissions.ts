import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Reading what a service costs; the resource is the service. The security policy knows it as the
 * sensitive action `cost.read` (contractors only with canViewCostData).
 */
export const costReadPermission = createPermission({
  name: 'opencost.cost.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Every permission the opencost plugin defines; its backend registers them. */
export const opencostPermissions = [costReadPermission];
