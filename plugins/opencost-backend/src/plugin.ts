import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { opencostPermissions } from '@internal/plugin-opencost-common';
import {
  securityAccessServiceRef,
  securityAuditServiceRef,
} from '@internal/plugin-security-node';
import { AwsCostClient } from './clients/AwsCostClient';
import { OpenCostClient } from './clients/OpenCostClient';
import { DatabaseCostStore } from './database/DatabaseCostStore';
import { connectOpenCostDatabase } from './database/migrations';
import { AwsCostSync } from './sync/AwsCostSync';
import { CostSync } from './sync/CostSync';
import { registerCostActions } from './actions/registerCostActions';
import { AuthorizedCostService } from './service/AuthorizedCostService';
import { CostAnswerCache } from './service/CostAnswerCache';
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
        cache: coreServices.cache,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        actionsRegistry: actionsRegistryServiceRef,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        notifications: notificationService,
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
        // Half the time the security policy caches roles: an answer computed from a role just before it
        // expires still changes within the policy's cache time of a change of rights.
        const answers = new CostAnswerCache(
          deps.cache,
          (config.getOptionalNumber('security.roleCacheSeconds') ?? 60) * 500,
          logger,
        );
        const serviceLabelKey =
          opencost.getOptionalString('serviceLabelKey') ?? 'app';
        const backfillDays = opencost.getOptionalNumber('backfillDays') ?? 90;
        const currency = opencost.getOptionalString('currency') ?? 'USD';
        const timeoutMs = opencost.getOptionalNumber('timeoutMs') ?? 30_000;
        const sync = new CostSync({
          client: new OpenCostClient({
            baseUrl: opencost.getString('baseUrl'),
            timeoutMs,
          }),
          store,
          logger,
          serviceLabelKey,
          backfillDays,
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
            if (stored.label + stored.namespace > 0) await answers.invalidate();
            logger.info(
              `OpenCost sync stored ${stored.label} days by label and ${stored.namespace} by namespace`,
            );
          },
        });
        const aws = opencost.getOptionalConfig('aws');
        if (aws) {
          const staticCredentials =
            aws.getOptionalString('credentialSource') === 'static';
          const awsSync = new AwsCostSync({
            client: new AwsCostClient({
              endpoint: aws.getOptionalString('endpoint'),
              region: aws.getOptionalString('region') ?? 'us-east-1',
              credentials: staticCredentials
                ? {
                    accessKeyId: aws.getString('accessKeyId'),
                    secretAccessKey: aws.getString('secretAccessKey'),
                  }
                : undefined,
              timeoutMs,
            }),
            store,
            catalog: deps.catalog,
            auth: deps.auth,
            notifications: deps.notifications,
            logger,
            tagKey: aws.getOptionalString('tagKey') ?? serviceLabelKey,
            metric: aws.getOptionalString('metric'),
            varianceThreshold:
              aws.getOptionalNumber('varianceThreshold') ?? 0.05,
            backfillDays,
            currency,
          });
          // Once a day: Cost Explorer charges per request and revises a day for about three days. OpenCost is
          // synced first (only what is missing or settling), so the check always has both sides.
          await scheduler.scheduleTask({
            id: 'opencost-aws-cost-sync',
            frequency: { hours: 24 },
            timeout: { minutes: 15 },
            initialDelay: { seconds: 30 },
            fn: async () => {
              const stored = await sync.run();
              const result = await awsSync.run();
              if (stored.label + stored.namespace + result.days > 0) {
                await answers.invalidate();
              }
              logger.info(
                `AWS cost sync stored ${result.days} days; ${
                  result.variances.filter(v => v.flagged).length
                } of ${
                  result.variances.length
                } services differ from OpenCost by more than the threshold`,
              );
            },
          });
        }
        const costs = new AuthorizedCostService(
          new DefaultCostService(store, sync, {
            currency,
            trendThreshold: opencost.getOptionalNumber('trendThreshold') ?? 0.2,
            headroom: opencost.getOptionalNumber('headroom') ?? 0.3,
          }),
          deps.catalog,
          deps.permissions,
          deps.access,
          deps.audit,
          deps.auth,
          answers,
        );
        registerCostActions(deps.actionsRegistry, deps.auth, costs);
        deps.httpRouter.use(
          await createRouter({ httpAuth: deps.httpAuth, costs }),
        );
      },
    });
  },
});
