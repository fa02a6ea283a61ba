import crypto from 'node:crypto';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  securityAccessServiceRef,
  securityAuditServiceRef,
} from '@internal/plugin-security-node';
import { FeishuClient } from './clients/FeishuClient';
import { connectFeishuMigrationDatabase } from './database/schema';
import { DatabaseMigrationStore } from './database/DatabaseMigrationStore';
import { GithubPullRequestDelivery } from './delivery/GithubPullRequestDelivery';
import { LocalFolderDelivery } from './delivery/LocalFolderDelivery';
import { readMigrationConfig } from './service/readMigrationConfig';
import { ACTIVE_STATUSES } from './migration/jobTransitions';
import { MigrationRunner } from './service/MigrationRunner';
import { createRouter } from './service/router';
import { registerMigrationActions } from './actions/registerMigrationActions';
import { AuthorizedMigrationService } from './service/AuthorizedMigrationService';
import { DefaultMigrationService } from './service/DefaultMigrationService';
import { FeishuReadAccess } from './access/FeishuReadAccess';
import { feishuMigrationPermissions } from '@internal/plugin-feishu-migration-common';

/** Feishu / Lark wiki pages → TechDocs Markdown in a service's repository, as resumable jobs. */
export const feishuMigrationPlugin = createBackendPlugin({
  pluginId: 'feishu-migration',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        actionsRegistry: actionsRegistryServiceRef,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        access: securityAccessServiceRef,
        audit: securityAuditServiceRef,
      },
      async init(deps) {
        const config = readMigrationConfig(deps.config);
        deps.permissionsRegistry.addPermissions(feishuMigrationPermissions);
        const knex = await connectFeishuMigrationDatabase(deps.database);
        const store = new DatabaseMigrationStore(knex);
        const feishu = new FeishuClient(config.feishu);
        const github = new GithubPullRequestDelivery(
          ScmIntegrations.fromConfig(deps.config),
          config.githubHost,
        );
        const runner = new MigrationRunner({
          store,
          feishu,
          logger: deps.logger,
          owner: `replica-${crypto.randomUUID()}`,
          deliveries: {
            'pull-request': github,
            'local-folder': new LocalFolderDelivery(),
          },
          feishuWebUrl: config.webUrl,
          permissionMapping: config.permissionMapping,
          mkdocsCommand: config.mkdocsCommand,
          concurrency: config.concurrency,
          onProgress: async job => {
            await deps.signals.publish({
              recipients: { type: 'user', entityRef: job.createdBy },
              channel: `feishu-migration:${job.id}`,
              message: {
                status: job.status,
                documentsConverted: job.documentsConverted,
                documentsFailed: job.documentsFailed,
                documentsTotal: job.documentsTotal,
              },
            });
          },
          onFinished: async job => {
            await deps.audit.record({
              actorRef: job.createdBy,
              action: 'feishu.migrate',
              entityRef: job.entityRef,
              outcome: job.status === 'failed' ? 'failed' : 'succeeded',
              details: {
                step: job.status,
                job: job.id,
                documents: job.documentsTotal,
                pullRequest: job.pullRequestUrl,
                error: job.error,
              },
            });
          },
        });

        // A job whose replica went away (deploy, crash) has an expired lease: whichever replica runs
        // this task next picks it up where the database says it stopped.
        await deps.scheduler.scheduleTask({
          id: 'feishu-migration-resume',
          frequency: { seconds: 15 },
          timeout: { minutes: 30 },
          initialDelay: { seconds: 5 },
          fn: async () => {
            for (const id of await store.listAbandonedJobs(ACTIVE_STATUSES)) {
              deps.logger.info(`Resuming Feishu migration ${id}`);
              await runner.run(id);
            }
          },
        });

        const migrations = new AuthorizedMigrationService(
          new DefaultMigrationService({
            auth: deps.auth,
            catalog: deps.catalog,
            logger: deps.logger,
            feishu,
            store,
            runner,
            audit: deps.audit,
            readAccess: new FeishuReadAccess(
              feishu,
              deps.catalog,
              deps.auth,
              deps.access,
            ),
            delivery: config.delivery,
            github,
            githubHost: config.githubHost,
            localDirectory: config.localDirectory,
            feishuWebUrl: config.webUrl,
          }),
          deps.permissions,
          deps.catalog,
          deps.access,
          deps.audit,
        );
        registerMigrationActions(deps.actionsRegistry, deps.auth, migrations);
        deps.httpRouter.use(
          await createRouter({ httpAuth: deps.httpAuth, migrations }),
        );
      },
    });
  },
});
