import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { serviceHealthPermissions } from '@internal/plugin-service-health-common';
import {
  securityAccessServiceRef,
  securityAuditServiceRef,
} from '@internal/plugin-security-node';
import { ArgoCdClient } from './clients/ArgoCdClient';
import { DatadogClient } from './clients/DatadogClient';
import { GithubClient } from './clients/GithubClient';
import { SentryClient } from './clients/SentryClient';
import { connectServiceHealthDatabase } from './database/migrations';
import { DatabaseSnapshotStore } from './database/DatabaseSnapshotStore';
import { AuthorizedServiceHealthService } from './service/AuthorizedServiceHealthService';
import { CachedSignals } from './service/CachedSignals';
import { DefaultServiceHealthService } from './service/DefaultServiceHealthService';
import { createRouter } from './service/router';
import { registerServiceHealthActions } from './actions/registerServiceHealthActions';

/** A service's deployments, monitors, errors, pull requests and builds for its entity page. */
export const serviceHealthPlugin = createBackendPlugin({
  pluginId: 'service-health',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        cache: coreServices.cache,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        actionsRegistry: actionsRegistryServiceRef,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        access: securityAccessServiceRef,
        audit: securityAuditServiceRef,
      },
      async init(deps) {
        const { config, logger, database, httpAuth, httpRouter, catalog } =
          deps;
        deps.permissionsRegistry.addPermissions(serviceHealthPermissions);
        const timeoutMs =
          config.getOptionalNumber('serviceHealth.upstreamTimeoutMs') ?? 10_000;
        const argocd = config.getOptionalConfig('argocd');
        const datadog = config.getOptionalConfig('datadog');
        const sentry = config.getOptionalConfig('sentry');
        const github =
          ScmIntegrations.fromConfig(config).github.byHost('github.com');
        const clients = {
          argocd: argocd
            ? new ArgoCdClient({
                baseUrl: argocd.getString('baseUrl'),
                token: argocd.getString('token'),
                timeoutMs,
              })
            : undefined,
          datadog: datadog
            ? new DatadogClient({
                apiBaseUrl: datadog.getString('apiBaseUrl'),
                apiKey: datadog.getString('apiKey'),
                appKey: datadog.getString('appKey'),
                timeoutMs,
              })
            : undefined,
          sentry: sentry
            ? {
                client: new SentryClient({
                  baseUrl: sentry.getString('baseUrl'),
                  token: sentry.getString('token'),
                  timeoutMs,
                }),
                organization: sentry.getString('organization'),
              }
            : undefined,
          github: github
            ? new GithubClient({
                apiBaseUrl:
                  github.config.apiBaseUrl ?? 'https://api.github.com',
                token: github.config.token,
                timeoutMs,
              })
            : undefined,
        };
        const knex = await connectServiceHealthDatabase(database);
        const cache = new CachedSignals(
          new DatabaseSnapshotStore(knex),
          logger,
          config.getOptionalNumber('serviceHealth.cacheSeconds') ?? 60,
        );
        const health = new AuthorizedServiceHealthService(
          new DefaultServiceHealthService(clients, cache),
          catalog,
          deps.permissions,
          deps.access,
          deps.audit,
          deps.cache,
        );
        registerServiceHealthActions(deps.actionsRegistry, deps.auth, health);
        httpRouter.use(await createRouter({ httpAuth, health }));
      },
    });
  },
});
