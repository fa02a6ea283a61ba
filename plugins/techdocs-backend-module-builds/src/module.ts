import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { sensitiveContentFilterServiceRef } from '@internal/plugin-security-node';
import { ScheduledDocsBuilds } from './builds/ScheduledDocsBuilds';
import { TechDocsBuildClient } from './builds/TechDocsBuildClient';
import { DatabaseDocsBuildStore } from './database/DatabaseDocsBuildStore';
import { connectBuildsDatabase } from './database/migrations';
import { createBuildStatusRouter } from './service/router';

/**
 * Docs readable and searchable from the first start: every entity's TechDocs built on a schedule where the
 * portal is the builder (development), watched where CI publishes them (production), each build's outcome
 * kept for the docs page.
 */
export const techdocsModuleScheduledBuilds = createBackendModule({
  pluginId: 'techdocs',
  moduleId: 'scheduled-builds',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        redaction: sensitiveContentFilterServiceRef,
      },
      async init(deps) {
        const { config, scheduler, httpRouter } = deps;
        const store = new DatabaseDocsBuildStore(
          await connectBuildsDatabase(deps.database),
        );
        httpRouter.use(
          createBuildStatusRouter({
            httpAuth: deps.httpAuth,
            catalog: deps.catalog,
            store,
          }),
        );
        const settings = config.getOptionalConfig('techdocs.scheduledBuilds');
        if (settings?.getOptionalBoolean('enabled') === false) return;
        const checkEverySeconds =
          settings?.getOptionalNumber('checkEverySeconds') ?? 60;
        const builds = new ScheduledDocsBuilds({
          catalog: deps.catalog,
          auth: deps.auth,
          client: new TechDocsBuildClient(deps.discovery, deps.auth),
          store,
          events: deps.events,
          redaction: deps.redaction,
          logger: deps.logger,
          builds: config.getOptionalString('techdocs.builder') !== 'external',
          rebuildEveryMs:
            (settings?.getOptionalNumber('rebuildEveryMinutes') ?? 30) * 60_000,
        });
        await scheduler.scheduleTask({
          id: 'techdocs-scheduled-builds',
          frequency: {
            seconds: checkEverySeconds,
          },
          timeout: { minutes: 30 },
          initialDelay: { seconds: Math.min(10, checkEverySeconds) },
          fn: () => builds.run(),
        });
      },
    });
  },
});
