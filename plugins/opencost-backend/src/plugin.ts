import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { opencostPermissions } from '@internal/plugin-opencost-common';
import {
  securityAccessServiceRef,
  securityAuditServiceRef,
} from '@internal/plugin-security-node';
import { OpenCostClient } from './clients/OpenCostClient';
import { DatabaseCostStore } from './database/DatabaseCostStore';
import { connectOpenCostDatabase } from './database/migrations';
import { CostSync } from './sync/CostSync';
import { registerCostActions } from './actions/registerCostActions';
import { AuthorizedCostService } from './service/AuthorizedCostService';
import { DefaultCostService } from './service/DefaultCostService';
import { createRouter } from './service/router';

/** What each service costs: OpenCost's allocations synced daily into the database every replica reads. */
export const opencostPlugin = createBackendPlugin({
  pluginId: 'opencost',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        actionsRegistry: actionsRegistryServiceRef,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        access: securityAccessServiceRef,
        audit: securityAuditServiceRef,
      },
      async init(deps) {
        const { config, logger, database, scheduler } = deps;
        deps.permissionsRegistry.addPermissions(opencostPermissions);
        const opencost = config.getOptionalConfig('opencost');
        if (!opencost) {
          logger.warn('No opencost.baseUrl configured: costs are not synced');
          return;
        }
        const store = new DatabaseCostStore(
          await connectOpenCostDatabase(database),
        );
        const sync = new CostSync({
          client: new OpenCostClient({
            baseUrl: opencost.getString('baseUrl'),
            timeoutMs: opencost.getOptionalNumber('timeoutMs') ?? 30_000,
          }),
          store,
          logger,
          serviceLabelKey:
            opencost.getOptionalString('serviceLabelKey') ?? 'app',
          backfillDays: opencost.getOptionalNumber('backfillDays') ?? 90,
        });
        // One replica at a time (the scheduler's lock in the database); each run fetches only what is missing
        // or still settling, so running four times a day keeps yesterday's figures final by morning.
        await scheduler.scheduleTask({
          id: 'opencost-cost-sync',
          frequency: { hours: 6 },
          timeout: { minutes: 15 },
          initialDelay: { seconds: 10 },
          fn: async () => {
            const stored = await sync.run();
            logger.info(
              `OpenCost sync stored ${stored.label} days by label and ${stored.namespace} by namespace`,
            );
          },
        });
        const costs = new AuthorizedCostService(
          new DefaultCostService(store, sync, {
            currency: opencost.getOptionalString('currency') ?? 'USD',
            trendThreshold: opencost.getOptionalNumber('trendThreshold') ?? 0.2,
            headroom: opencost.getOptionalNumber('headroom') ?? 0.3,
          }),
          deps.catalog,
          deps.permissions,
          deps.access,
          deps.audit,
          deps.auth,
        );
        registerCostActions(deps.actionsRegistry, deps.auth, costs);
        deps.httpRouter.use(
          await createRouter({ httpAuth: deps.httpAuth, costs }),
        );
      },
    });
  },
});
