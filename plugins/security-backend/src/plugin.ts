import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readSecurityConfig } from './config/readSecurityConfig';
import { AccessService } from './service/AccessService';
import { RoleResolver } from './service/RoleResolver';
import { createRouter } from './service/router';

/** Security: contractor-aware access decisions, approvals, redaction and the audit trail. */
export const securityPlugin = createBackendPlugin({
  pluginId: 'security',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        cache: coreServices.cache,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ config, httpAuth, httpRouter, cache, auth, catalog }) {
        const securityConfig = readSecurityConfig(config);
        const roles = new RoleResolver(catalog, cache, auth, securityConfig);
        const access = new AccessService(roles, catalog, auth, securityConfig);
        httpRouter.use(await createRouter({ httpAuth, access }));
      },
    });
  },
});
