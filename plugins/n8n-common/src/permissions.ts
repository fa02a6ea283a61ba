import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Running an n8n workflow for an entity; the resource is the entity. The security policy knows it as the
 * sensitive action `n8n.run` (owners; contractors within their boundaries, with an approval where asked).
 */
export const n8nWorkflowRunPermission = createPermission({
  name: 'n8n.workflow.run',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Every permission the n8n plugin defines; its backend registers them. */
export const n8nPermissions = [n8nWorkflowRunPermission];
