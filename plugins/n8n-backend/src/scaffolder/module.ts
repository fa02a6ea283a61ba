import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createTriggerWorkflowAction } from './triggerWorkflowAction';

/** The scaffolder action golden paths use to run self-service n8n workflows. */
export const n8nScaffolderModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'n8n',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ scaffolder, auth, discovery }) {
        scaffolder.addActions(createTriggerWorkflowAction({ auth, discovery }));
      },
    });
  },
});
