import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { kubernetesObjectsProviderExtensionPoint } from '@backstage/plugin-kubernetes-node';
import { readSecurityConfig } from './config/readSecurityConfig';
import { ContractorBoundedObjectsProvider } from './kubernetes/ContractorBoundedObjectsProvider';
import { RoleResolver } from './service/RoleResolver';

/** Installs the contractor boundaries (namespaces, restricted services) in the Kubernetes backend. */
export const securityKubernetesBoundariesModule = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'security-boundaries',
  register(reg) {
    reg.registerInit({
      deps: {
        objectsProviders: kubernetesObjectsProviderExtensionPoint,
        config: coreServices.rootConfig,
        cache: coreServices.cache,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ objectsProviders, config, cache, auth, catalog }) {
        const securityConfig = readSecurityConfig(config);
        const roles = new RoleResolver(catalog, cache, auth, securityConfig);
        objectsProviders.addObjectsProvider(
          async ({ getDefault }) =>
            new ContractorBoundedObjectsProvider(
              await getDefault(),
              roles,
              catalog,
              auth,
              securityConfig,
            ),
        );
      },
    });
  },
});
