import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readSecurityConfig } from './config/readSecurityConfig';
import { SecurityPermissionPolicy } from './policy/SecurityPermissionPolicy';
import { RoleResolver } from './service/RoleResolver';

/** Installs the security plugin's permission policy in the permission backend. */
export const securityPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'security-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        cache: coreServices.cache,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ policy, config, cache, auth, catalog }) {
        const securityConfig = readSecurityConfig(config);
        const roles = new RoleResolver(catalog, cache, auth, securityConfig);
        policy.setPolicy(new SecurityPermissionPolicy(roles, securityConfig));
      },
    });
  },
});
