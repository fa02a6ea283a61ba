import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  actionsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { aiAssistantPermissions } from '@internal/plugin-ai-assistant-common';
import {
  securityAccessServiceRef,
  securityAuditServiceRef,
  sensitiveContentFilterServiceRef,
} from '@internal/plugin-security-node';
import {
  TECHDOCS_PUBLISHED_TOPIC,
  TechDocsPublishedEvent,
} from '@internal/plugin-techdocs-backend-module-builds';
import { registerAssistantActions } from './actions/registerAssistantActions';
import { DatabaseAnswerStore } from './database/DatabaseAnswerStore';
import { DatabaseRateLimitStore } from './database/DatabaseRateLimitStore';
import { connectAssistantDatabase } from './database/migrations';
import { DatabaseBreakerStore } from './providers/DatabaseBreakerStore';
import { ProviderPool, readProviders } from './providers/ProviderPool';
import { DatabaseChunkStore } from './retrieval/DatabaseChunkStore';
import { EmbeddingsClient, readEmbeddings } from './retrieval/EmbeddingsClient';
import { RetrievalIndexer } from './retrieval/RetrievalIndexer';
import { TechDocsIndexClient } from './retrieval/TechDocsIndexClient';
import { AssistantService } from './service/AssistantService';
import { createRouter } from './service/router';
import { ActionTools } from './tools/ActionTools';

const DEFAULT_TOOL_PLUGINS = ['catalog', 'service-health', 'opencost', 'n8n'];

/** The AI assistant: grounded, permission-aware answers with sources, generation, error analysis and review. */
export const aiAssistantPlugin = createBackendPlugin({
  pluginId: 'ai-assistant',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        cache: coreServices.cache,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        actions: actionsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        access: securityAccessServiceRef,
        audit: securityAuditServiceRef,
        filter: sensitiveContentFilterServiceRef,
      },
      async init(deps) {
        const { config, logger, scheduler } = deps;
        deps.permissionsRegistry.addPermissions(aiAssistantPermissions);
        const providers = readProviders(config);
        if (providers.length === 0) {
          logger.warn(
            'No aiAssistant.providers configured: the assistant is off',
          );
          return;
        }
        const knex = await connectAssistantDatabase(deps.database);
        const breakers = new DatabaseBreakerStore(knex, {
          failureThreshold:
            config.getOptionalNumber('aiAssistant.breaker.failureThreshold') ??
            3,
          openMs:
            (config.getOptionalNumber('aiAssistant.breaker.openSeconds') ??
              30) * 1000,
          trialMs: Math.max(...providers.map(p => p.timeoutMs)),
        });
        await breakers.ensure(providers.map(p => p.id));
        const chunks = new DatabaseChunkStore(knex);
        const embeddingsConfig = readEmbeddings(config);
        const embeddings =
          embeddingsConfig && new EmbeddingsClient(embeddingsConfig);
        if (embeddings) {
          const searched = await chunks
            .vectorSearch()
            .then(mode => (mode === 'pgvector' ? 'by pgvector' : 'in process'))
            .catch(error => `once the database answers (${error})`);
          logger.info(
            `Assistant retrieval: full text fused with ${embeddings.model} embeddings, searched ${searched}`,
          );
          chunks
            .warmVectors(embeddings.model)
            .catch(error =>
              logger.warn(`Could not read the chunks' embeddings: ${error}`),
            );
        }
        const indexer = new RetrievalIndexer({
          catalog: deps.catalog,
          auth: deps.auth,
          techdocs: new TechDocsIndexClient(deps.discovery, deps.auth),
          store: chunks,
          chunkTokens:
            config.getOptionalNumber('aiAssistant.retrieval.chunkTokens') ??
            350,
          logger,
          filter: text => deps.filter.filter(text),
          embeddings,
        });
        const rateLimits = new DatabaseRateLimitStore(knex);
        const assistant = new AssistantService({
          pool: new ProviderPool(providers, breakers, logger),
          chunks,
          embeddings,
          indexer,
          answers: new DatabaseAnswerStore(knex),
          rateLimits,
          tools: new ActionTools(
            deps.actions,
            config.getOptionalStringArray('aiAssistant.toolPlugins') ??
              DEFAULT_TOOL_PLUGINS,
            deps.cache,
          ),
          catalog: deps.catalog,
          cache: deps.cache,
          auth: deps.auth,
          discovery: deps.discovery,
          permissions: deps.permissions,
          access: deps.access,
          audit: deps.audit,
          filter: deps.filter,
          logger,
          requestsPerMinute:
            config.getOptionalNumber('aiAssistant.requestsPerMinute') ?? 20,
          retrievalChunks:
            config.getOptionalNumber('aiAssistant.retrieval.chunks') ?? 8,
        });

        // Each runs on one replica at a time; the index lives in the database every replica reads.
        const catalogCheckSeconds =
          config.getOptionalNumber(
            'aiAssistant.retrieval.catalogCheckSeconds',
          ) ?? 60;
        await scheduler.scheduleTask({
          id: 'ai-assistant-index-catalog',
          frequency: { seconds: catalogCheckSeconds },
          timeout: { minutes: 10 },
          initialDelay: { seconds: Math.min(5, catalogCheckSeconds) },
          fn: async () => {
            const { changed, removed } = await indexer.indexCatalog();
            const embedded = await indexer.embedMissing();
            if (changed + removed + embedded > 0) {
              logger.info(
                `Assistant index: ${changed} entities re-indexed, ${removed} removed, ${embedded} chunks embedded`,
              );
            }
          },
        });
        await scheduler.scheduleTask({
          id: 'ai-assistant-index-docs',
          frequency: {
            minutes:
              config.getOptionalNumber(
                'aiAssistant.retrieval.fullIndexMinutes',
              ) ?? 360,
          },
          timeout: { minutes: 30 },
          // New builds are indexed as TechDocs announces them; this pass catches up on the rest.
          initialDelay: { seconds: 2 * catalogCheckSeconds },
          fn: async () => {
            const result = await indexer.indexAllDocs();
            logger.info(
              `Assistant index: docs of ${result.entities} entities read, ${result.changed} pages re-indexed, ${result.removed} removed`,
            );
          },
        });
        await scheduler.scheduleTask({
          id: 'ai-assistant-prune',
          frequency: { hours: 1 },
          timeout: { minutes: 5 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            await rateLimits.prune();
            // Words of answers marked helpful since the last index pass join the statistics.
            await chunks.refreshTermStats();
          },
        });
        await deps.events.subscribe({
          id: 'ai-assistant-techdocs-published',
          topics: [TECHDOCS_PUBLISHED_TOPIC],
          onEvent: async event => {
            const { entityRef } = event.eventPayload as TechDocsPublishedEvent;
            await indexer.indexDocsOfEntity(entityRef);
          },
        });

        registerAssistantActions(deps.actionsRegistry, deps.auth, assistant);
        deps.httpRouter.use(
          await createRouter({ httpAuth: deps.httpAuth, assistant }),
        );
      },
    });
  },
});
