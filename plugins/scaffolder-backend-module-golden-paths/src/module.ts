import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { securityAuditServiceRef } from '@internal/plugin-security-node';
import { createRegisterNewRepositoryAction } from './actions/registerNewRepository';

/** The golden paths' own scaffolder actions. */
export const scaffolderModuleGoldenPaths = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'golden-paths',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        urlReader: coreServices.urlReader,
        auth: coreServices.auth,
        audit: securityAuditServiceRef,
      },
      async init({ scaffolder, config, catalog, urlReader, auth, audit }) {
        scaffolder.addActions(
          createRegisterNewRepositoryAction({
            catalog,
            urlReader,
            auth,
            audit,
            integrations: ScmIntegrations.fromConfig(config),
            organizations:
              config.getOptionalStringArray(
                'scaffolder.goldenPaths.organizations',
              ) ?? [],
          }),
        );
      },
    });
  },
});
