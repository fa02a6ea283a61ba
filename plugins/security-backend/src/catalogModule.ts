import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { hasRelationRule } from './policy/hasRelation';

/**
 * The catalog rules the security policy's conditions use beyond Backstage's own: HAS_RELATION, so a
 * restricted service's APIs are as invisible to contractors as the service.
 */
export const securityCatalogRulesModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'security-permission-rules',
  register(reg) {
    reg.registerInit({
      deps: { permissionsRegistry: coreServices.permissionsRegistry },
      async init({ permissionsRegistry }) {
        permissionsRegistry.addPermissionRules([hasRelationRule]);
      },
    });
  },
});
