import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readSecurityConfig } from './config/readSecurityConfig';
import { SecurityPermissionPolicy } from './policy/SecurityPermissionPolicy';
import { RoleResolver } from './service/RoleResolver';
import { securityGrantServiceRef } from '@internal/plugin-security-node';

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
        logger: coreServices.logger,
        catalog: catalogServiceRef,
        grants: securityGrantServiceRef,
      },
      async init({ policy, config, cache, auth, logger, catalog, grants }) {
        const securityConfig = readSecurityConfig(config);
        // Grants live in the security plugin's database; the policy reads them over HTTP with the role and
        // caches both for security.roleCacheSeconds.
        const roles = new RoleResolver(
          catalog,
          cache,
          auth,
          securityConfig,
          async userRef =>
            (await grants.activeGrantsOf(userRef)).map(grant => ({
              action: grant.action,
              ...(grant.entityRef ? { entityRef: grant.entityRef } : {}),
              expiresAt: grant.expiresAt,
            })),
          logger,
        );
        policy.setPolicy(new SecurityPermissionPolicy(roles, securityConfig));
      },
    });
  },
});
