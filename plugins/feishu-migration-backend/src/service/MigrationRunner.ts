import path from 'node:path';
import pLimit from 'p-limit';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  MigrationJob,
  MigrationStatus,
} from '@internal/plugin-feishu-migration-common';
import { FeishuClient } from '../clients/FeishuClient';
import { feishuBlocksToMarkdown } from '../converter/feishuBlocksToMarkdown';
import {
  LeasedJob,
  LeaseLostError,
  MigrationFile,
  MigrationStore,
  StoredDocument,
} from '../database/MigrationStore';
import { Delivery, DeliveryJob } from '../delivery/Delivery';
import { ACTIVE_STATUSES } from '../migration/jobTransitions';
import { buildWithMkdocs } from '../migration/mkdocsBuild';
import { updateMkdocsConfig } from '../migration/mkdocsConfig';
import {
  mapPermissions,
  PermissionMappingRule,
} from '../migration/permissionMapping';
import { DOCS_DIR, navFor, relativeLink } from '../migration/planMigration';
import { validateDocument } from '../migration/validateMigration';
import { readDocumentSource } from './readDocumentSource';

export const ASSETS_DIR = `${DOCS_DIR}/assets`;

export interface MigrationRunnerOptions {
  store: MigrationStore;
  feishu: FeishuClient;
  deliveries: Record<MigrationJob['delivery'], Delivery>;
  logger: LoggerService;
  /** This replica's id, for the lease. */
  owner: string;
  feishuWebUrl?: string;
  permissionMapping: PermissionMappingRule[];
  mkdocsCommand?: string;
  /** Documents converted in parallel per job. */
  concurrency?: number;
  leaseMs?: number;
  /** Called whenever a job's progress changes (the plugin publishes a signal). */
  onProgress?: (job: MigrationJob) => Promise<void>;
  /** Called once a job completes, fails or is rolled back (the plugin writes the audit record). */
  onFinished?: (job: MigrationJob) => Promise<void>;
}

/** Thrown inside a run when its AbortSignal fires: the run stops where it is, as a crashed replica would. */
class RunAborted extends Error {}

/**
 * Runs migration jobs: converts each pending page (its files and status saved in one transaction), then
 * writes mkdocs.yml, validates, builds with MkDocs and delivers. Every step starts from what the database
 * says is done, so any replica can pick up a job another one dropped, and nothing is converted or delivered twice.
 */
export class MigrationRunner {
  private readonly leaseMs: number;

  constructor(private readonly options: MigrationRunnerOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  /** Runs the job if no other run holds it; returns false when it is someone else's. */
  async run(jobId: string, signal?: AbortSignal): Promise<boolean> {
    const { store, owner, logger } = this.options;
    const leased = await store.claimJob(jobId, owner, this.leaseMs);
    if (!leased) return false;
    // The lease is renewed while the run lives (delivery of a large job can outlast one lease). When a
    // renewal fails, errs or has not come back before the lease would run out, the run stops where it is, like
    // one that crashed; its writes are fenced by the lease in any case.
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener('abort', onAbort);
    let heldUntil = performance.now() + this.leaseMs;
    const heartbeat = setInterval(() => {
      if (performance.now() > heldUntil) stop.abort();
      const sentAt = performance.now();
      leased
        .renew(this.leaseMs)
        .then(held => {
          if (held) heldUntil = Math.max(heldUntil, sentAt + this.leaseMs);
          else stop.abort();
        })
        .catch(error => {
          logger.warn(
            `Could not renew the lease of Feishu migration ${jobId}: ${error}`,
          );
          stop.abort();
        });
    }, Math.max(Math.floor(this.leaseMs / 3), 50));
    const checkpoint = () => {
      if (stop.signal.aborted || performance.now() > heldUntil) {
        throw new RunAborted();
      }
    };
    let phase: MigrationStatus | undefined;
    try {
      for (;;) {
        const job = await store.getJob(jobId);
        if (!job || !ACTIVE_STATUSES.includes(job.status)) break;
        phase = job.status;
        await this.step(job, leased, checkpoint);
      }
    } catch (error) {
      if (error instanceof RunAborted || error instanceof LeaseLostError) {
        logger.info(
          `Feishu migration ${jobId} stopped on this replica: ${error}`,
        );
        return true;
      }
      logger.error(`Feishu migration ${jobId} failed: ${error}`);
      try {
        await leased.updateJob({
          status: 'failed',
          failedPhase: phase,
          error: String((error as Error)?.message ?? error),
          finishedAt: new Date().toISOString(),
        });
      } catch (lost) {
        if (lost instanceof LeaseLostError) return true;
        throw lost;
      }
      await this.finished(jobId);
    } finally {
      clearInterval(heartbeat);
      signal?.removeEventListener('abort', onAbort);
    }
    await leased.release();
    return true;
  }

  /** Signals and the audit record are reported, never allowed to fail the migration itself. */
  private async report(job: MigrationJob, finished: boolean) {
    try {
      await this.options.onProgress?.(job);
      if (finished) await this.options.onFinished?.(job);
    } catch (error) {
      this.options.logger.warn(
        `Could not report Feishu migration ${job.id} (${job.status}): ${error}`,
      );
    }
  }

  private async finished(jobId: string) {
    const job = await this.options.store.getJob(jobId);
    if (job) await this.report(job, true);
  }

  private async step(
    job: MigrationJob & { pullRequestNumber?: number },
    leased: LeasedJob,
    checkpoint: () => void,
  ) {
    const { store } = this.options;
    checkpoint();
    switch (job.status) {
      case 'queued':
        await leased.updateJob({ status: 'converting' });
        return;
      case 'converting':
        await this.convertAll(job, leased, checkpoint);
        return;
      case 'validating':
        await this.validate(job, leased);
        return;
      case 'delivering': {
        const files = await store.listFiles(job.id);
        // Nothing leaves this replica for a job it no longer holds.
        checkpoint();
        await leased.assertHeld();
        const result = await this.delivery(job).deliver(
          this.deliveryJob(job),
          files,
          leased,
        );
        await leased.updateJob({
          ...result,
          status: 'completed',
          finishedAt: new Date().toISOString(),
        });
        await this.finished(job.id);
        return;
      }
      case 'rolling_back': {
        const files = await store.listFiles(job.id);
        checkpoint();
        await leased.assertHeld();
        await this.delivery(job).rollback(this.deliveryJob(job), files, leased);
        await leased.updateJob({
          status: 'rolled_back',
          finishedAt: new Date().toISOString(),
        });
        await this.finished(job.id);
        return;
      }
      default:
        return;
    }
  }

  private delivery(job: MigrationJob) {
    return this.options.deliveries[job.delivery];
  }

  private deliveryJob(
    job: MigrationJob & { pullRequestNumber?: number },
  ): DeliveryJob {
    return {
      id: job.id,
      destination: job.destination,
      branch: job.branch,
      pullRequestNumber: job.pullRequestNumber,
      title: `docs: migrate ${job.documentsTotal} pages from Feishu (${job.spaceName})`,
      body: [
        `Migrated by the developer portal for ${job.createdBy} (job ${job.id}).`,
        '',
        `Feishu space: ${job.spaceName}. Pages: ${
          job.documentsTotal
        }. MkDocs build: ${job.mkdocsBuild?.status ?? 'not run'}.`,
        '',
        'The validation report and the permission mapping are on the migration page in the portal.',
      ].join('\n'),
    };
  }

  private async convertAll(
    job: MigrationJob,
    leased: LeasedJob,
    checkpoint: () => void,
  ) {
    const { store, concurrency } = this.options;
    const documents = await store.listDocuments(job.id);
    const byToken = new Map<string, StoredDocument>();
    for (const doc of documents) {
      byToken.set(doc.nodeToken, doc);
      byToken.set(doc.objToken, doc);
    }
    const migratedTokens = new Set(byToken.keys());
    const userNames = new Map<string, Promise<string>>();
    const limit = pLimit(concurrency ?? 4);
    let lastProgress = 0;
    // allSettled: when the run stops, pages already in flight finish saving before it returns.
    const outcomes = await Promise.allSettled(
      documents
        .filter(doc => doc.status === 'pending')
        .map(doc =>
          limit(async () => {
            checkpoint();
            await this.convertOne(
              job,
              leased,
              doc,
              byToken,
              migratedTokens,
              userNames,
            );
            checkpoint();
            if (Date.now() - lastProgress > 500) {
              lastProgress = Date.now();
              const current = await store.getJob(job.id);
              if (current) await this.report(current, false);
            }
          }),
        ),
    );
    const stopped = outcomes.find(
      (outcome): outcome is PromiseRejectedResult =>
        outcome.status === 'rejected',
    );
    if (stopped) throw stopped.reason;
    const after = await store.getJob(job.id);
    if (after && after.documentsFailed > 0) {
      const failed = (await store.listDocuments(job.id)).filter(
        d => d.status === 'failed',
      );
      await leased.updateJob({
        status: 'failed',
        failedPhase: 'converting',
        error: `${failed.length} of ${
          after.documentsTotal
        } pages could not be converted (${failed
          .slice(0, 3)
          .map(d => `${d.title}: ${d.error}`)
          .join(
            '; ',
          )}); nothing was delivered. Retry the migration to convert them again.`,
        finishedAt: new Date().toISOString(),
      });
      await this.finished(job.id);
      return;
    }
    await leased.updateJob({ status: 'validating' });
  }

  private async convertOne(
    job: MigrationJob,
    leased: LeasedJob,
    doc: StoredDocument,
    byToken: Map<string, StoredDocument>,
    migratedTokens: Set<string>,
    userNames: Map<string, Promise<string>>,
  ) {
    const { feishu } = this.options;
    await leased.startDocument(doc.nodeToken);
    if (doc.objType === 'folder') {
      await this.saveFolderPage(leased, doc, byToken);
      return;
    }
    try {
      const [
        { blocks, comments, userNames: names, embeddedImages },
        permissions,
      ] = await Promise.all([
        readDocumentSource(feishu, doc.objToken, {
          commentHandling: job.options.commentHandling,
          embedImages: job.options.handleImages === 'embed',
          userNameCache: userNames,
        }),
        feishu.listPermissionMembers(doc.objToken),
      ]);
      const docLinks: Record<string, string> = {};
      for (const [token, target] of byToken) {
        docLinks[token] = relativeLink(doc.path, target.path);
      }
      const result = feishuBlocksToMarkdown(blocks, {
        ...job.options,
        assetsPath: relativeLink(doc.path, ASSETS_DIR),
        userNames: names,
        docLinks,
        feishuWebUrl: this.options.feishuWebUrl,
        embeddedImages,
        comments,
      });
      const files: MigrationFile[] = [
        {
          path: doc.path,
          kind: 'page',
          nodeToken: doc.nodeToken,
          content: Buffer.from(result.markdown, 'utf8'),
        },
      ];
      for (const asset of result.assets) {
        files.push({
          path: path.posix.normalize(
            path.posix.join(path.posix.dirname(doc.path), asset.path),
          ),
          kind: 'asset',
          content: await feishu.downloadMedia(asset.token),
        });
      }
      const outputPaths = new Set([
        ...[...byToken.values()].map(d => d.path),
        ...files.map(f => f.path),
      ]);
      const validation = validateDocument({
        blocks,
        markdown: result.markdown,
        path: doc.path,
        outputPaths,
        migratedTokens,
      });
      await leased.saveConvertedDocument(doc.nodeToken, {
        files,
        warnings: result.warnings,
        validation,
        permissions,
      });
    } catch (error) {
      if (error instanceof RunAborted || error instanceof LeaseLostError) {
        throw error;
      }
      await leased.failDocument(
        doc.nodeToken,
        String((error as Error)?.message ?? error),
      );
    }
  }

  /** A drive folder's page: its name and links to what it holds, in drive order. */
  private async saveFolderPage(
    leased: LeasedJob,
    folder: StoredDocument,
    byToken: Map<string, StoredDocument>,
  ) {
    const inside = [...new Set(byToken.values())].filter(
      d => d.parentNodeToken === folder.nodeToken,
    );
    const markdown = [
      `# ${folder.title}`,
      inside
        .map(
          d =>
            `- [${d.title.replace(/[[\]\\]/g, '\\$&')}](${relativeLink(
              folder.path,
              d.path,
            )})`,
        )
        .join('\n'),
    ].join('\n\n');
    await leased.saveConvertedDocument(folder.nodeToken, {
      files: [
        {
          path: folder.path,
          kind: 'page',
          nodeToken: folder.nodeToken,
          content: Buffer.from(`${markdown}\n`, 'utf8'),
        },
      ],
      warnings: [],
      validation: validateDocument({
        blocks: [],
        markdown,
        path: folder.path,
        outputPaths: new Set([...byToken.values()].map(d => d.path)),
        migratedTokens: new Set(),
      }),
      permissions: [],
    });
  }

  private async validate(job: MigrationJob, leased: LeasedJob) {
    const { store } = this.options;
    const documents = await store.listDocuments(job.id);
    const existing = await this.delivery(job).readExisting(job.destination);
    const nav = navFor(documents);
    const entityName = job.entityRef.split('/').pop() ?? job.entityRef;
    await leased.putFile({
      path: 'mkdocs.yml',
      kind: 'config',
      content: Buffer.from(
        updateMkdocsConfig({
          existing: existing.mkdocs,
          existingPages: existing.pages,
          siteName: entityName,
          nav,
        }),
      ),
    });
    const files = (await store.listFiles(job.id)).filter(
      f => f.kind !== 'config',
    );
    const buildConfig = updateMkdocsConfig({
      existingPages: [],
      siteName: entityName,
      nav,
    });
    const mkdocsBuild = await buildWithMkdocs(
      [...files, { path: 'mkdocs.yml', content: Buffer.from(buildConfig) }],
      this.options.mkdocsCommand,
    );
    await leased.updateJob({
      status: mkdocsBuild.status === 'failed' ? 'failed' : 'delivering',
      failedPhase: 'validating',
      mkdocsBuild,
      permissionReport: mapPermissions(
        documents.map(d => ({ members: d.permissions })),
        this.options.permissionMapping,
      ),
      ...(mkdocsBuild.status === 'failed'
        ? {
            error: `mkdocs build failed, nothing was delivered: ${mkdocsBuild.messages.join(
              ' ',
            )}`,
            finishedAt: new Date().toISOString(),
          }
        : {}),
    });
    if (mkdocsBuild.status === 'failed') await this.finished(job.id);
  }
}
