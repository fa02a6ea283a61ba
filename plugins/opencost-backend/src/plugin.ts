import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { opencostPermissions } from '@internal/plugin-opencost-common';
import { OpenCostClient } from './clients/OpenCostClient';
import { DatabaseCostStore } from './database/DatabaseCostStore';
import { connectOpenCostDatabase } from './database/migrations';
import { CostSync } from './sync/CostSync';

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
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({ config, logger, database, scheduler, permissionsRegistry }) {
        permissionsRegistry.addPermissions(opencostPermissions);
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
      },
    });
  },
});
