import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Migrating Feishu documents into a service's TechDocs, and reading Feishu through the portal's app to
 * choose them; the resource is the service.
 */
export const feishuMigrationRunPermission = createPermission({
  name: 'feishu-migration.migration.run',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Every permission the Feishu migration plugin defines; its backend registers them. */
export const feishuMigrationPermissions = [feishuMigrationRunPermission];
