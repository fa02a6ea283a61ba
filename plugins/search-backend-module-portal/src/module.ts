import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { catalogCollatorExtensionPoint } from '@backstage/plugin-search-backend-module-catalog';
import { PgSearchEngine } from '@backstage/plugin-search-backend-module-pg';
import {
  searchEngineRegistryExtensionPoint,
  searchIndexRegistryExtensionPoint,
  searchIndexServiceRef,
} from '@backstage/plugin-search-backend-node/alpha';
import { TECHDOCS_PUBLISHED_TOPIC } from '@internal/plugin-techdocs-backend-module-builds';
import { catalogDocumentOf } from './catalog/catalogDocumentOf';
import { DatabaseIndexedDocumentStore } from './database/DatabaseIndexedDocumentStore';
import { DocumentChangeDecorator } from './database/DocumentChangeDecorator';
import { connectPortalSearchDatabase } from './database/migrations';
import { PortalLunrSearchEngine } from './engines/PortalLunrSearchEngine';
import { PortalPgSearchEngine } from './engines/PortalPgSearchEngine';
import { IndexFreshness } from './freshness/IndexFreshness';
import { createPortalSearchRouter } from './service/router';

/** The result types whose documents get change times and feed suggestions. */
const INDEXED_TYPES = ['software-catalog', 'techdocs'];

/**
 * The portal's search engine (PostgreSQL in production, in memory in development) with recency ranking,
 * facet counts and suggestions; catalog documents with tags and API definitions; and an index that
 * follows catalog changes and new docs within a minute.
 */
export const searchModulePortal = createBackendModule({
  pluginId: 'search',
  moduleId: 'portal',
  register(env) {
    env.registerInit({
      deps: {
        engines: searchEngineRegistryExtensionPoint,
        indexRegistry: searchIndexRegistryExtensionPoint,
        catalogCollator: catalogCollatorExtensionPoint,
        searchIndex: searchIndexServiceRef,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        cache: coreServices.cache,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
      },
      async init(deps) {
        const { config, logger, database, scheduler } = deps;
        deps.catalogCollator.setEntityTransformer(catalogDocumentOf);
        const documents = new DatabaseIndexedDocumentStore(
          await connectPortalSearchDatabase(database),
        );
        const engine = (await PgSearchEngine.supported(database))
          ? await PortalPgSearchEngine.create(config, database, logger)
          : new PortalLunrSearchEngine({ logger });
        deps.engines.setSearchEngine(engine);
        for (const type of INDEXED_TYPES) {
          deps.indexRegistry.addDecorator({
            factory: {
              types: [type],
              getDecorator: async () =>
                new DocumentChangeDecorator(type, documents),
            },
          });
        }
        deps.httpRouter.use(
          createPortalSearchRouter({
            httpAuth: deps.httpAuth,
            catalog: deps.catalog,
            cache: deps.cache,
            engine,
            documents,
            types: () => Object.keys(deps.searchIndex.getDocumentTypes()),
          }),
        );

        const freshness = new IndexFreshness(
          scheduler,
          deps.catalog,
          deps.auth,
          deps.cache,
          logger,
        );
        await deps.events.subscribe({
          id: 'search-portal-techdocs-published',
          topics: [TECHDOCS_PUBLISHED_TOPIC],
          onEvent: () => freshness.reindex('techdocs'),
        });
        const checkEverySeconds =
          config.getOptionalNumber('search.portal.catalogCheckSeconds') ?? 30;
        await scheduler.scheduleTask({
          id: 'search-portal-catalog-changes',
          frequency: { seconds: checkEverySeconds },
          timeout: { minutes: 2 },
          initialDelay: { seconds: checkEverySeconds },
          fn: async () => {
            await freshness.checkCatalog();
          },
        });
      },
    });
  },
});
