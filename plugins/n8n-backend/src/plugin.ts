import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { n8nPermissions } from '@internal/plugin-n8n-common';
import {
  securityAccessServiceRef,
  securityAuditServiceRef,
  securityGrantServiceRef,
  sensitiveContentFilterServiceRef,
} from '@internal/plugin-security-node';
import { N8nClient } from './clients/N8nClient';
import { DatabaseRunStore } from './database/DatabaseRunStore';
import { connectN8nDatabase } from './database/migrations';
import { createCallbackRouter } from './callback/callbackRouter';
import { readN8nConfig } from './service/readN8nConfig';
import { RunService } from './service/RunService';
import { createRouter } from './service/router';
import { registerWorkflowActions } from './actions/registerWorkflowActions';

/** Self-service n8n workflows: actions and entity workflows, their runs followed to the end, signed callbacks. */
export const n8nPlugin = createBackendPlugin({
  pluginId: 'n8n',
  register(env) {
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        actionsRegistry: actionsRegistryServiceRef,
        catalog: catalogServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
        access: securityAccessServiceRef,
        audit: securityAuditServiceRef,
        grants: securityGrantServiceRef,
        filter: sensitiveContentFilterServiceRef,
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions(n8nPermissions);
        const config = readN8nConfig(deps.rootConfig);
        if (!config) {
          deps.logger.warn('No n8n.baseUrl configured: workflows are off');
          return;
        }
        const store = new DatabaseRunStore(
          await connectN8nDatabase(deps.database),
        );
        const runs = new RunService({
          config,
          store,
          n8n: new N8nClient(config),
          catalog: deps.catalog,
          auth: deps.auth,
          discovery: deps.discovery,
          permissions: deps.permissions,
          access: deps.access,
          audit: deps.audit,
          grants: deps.grants,
          filter: deps.filter,
          signals: deps.signals,
          notifications: deps.notifications,
          logger: deps.logger,
        });
        // One replica at a time (the scheduler's lock in the database): runs in flight when a replica
        // stopped are followed by whichever runs this next.
        await deps.scheduler.scheduleTask({
          id: 'n8n-run-follow',
          frequency: { seconds: config.followEverySeconds },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 3 },
          fn: async () => {
            const { changed } = await runs.followUnfinished();
            if (changed > 0) deps.logger.info(`n8n runs moved on: ${changed}`);
          },
        });
        registerWorkflowActions(deps.actionsRegistry, deps.auth, runs);
        if (config.callback) {
          deps.httpRouter.addAuthPolicy({
            path: '/callback',
            allow: 'unauthenticated',
          });
          deps.httpRouter.use(
            createCallbackRouter({
              secret: config.callback.secret,
              toleranceSeconds: config.callback.toleranceSeconds,
              store,
              report: async callback => {
                const run = await runs.reportResult(callback);
                return { runId: run.id, status: run.status };
              },
            }),
          );
        } else {
          deps.logger.warn(
            'No n8n.callback.secret configured: results are read from n8n executions only, and no access request can grant access',
          );
        }
        deps.httpRouter.use(
          await createRouter({ httpAuth: deps.httpAuth, runs }),
        );
      },
    });
  },
});
