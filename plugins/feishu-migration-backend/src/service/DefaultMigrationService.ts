import crypto from 'node:crypto';
import path from 'node:path';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  MigrationJob,
  MigrationJobDetails,
  MigrationJobPage,
  MigrationRequest,
  MigrationValidationReport,
  PreviewRequest,
  PreviewResponse,
  WikiTreeNode,
} from '@internal/plugin-feishu-migration-common';
import { SecurityAuditService } from '@internal/plugin-security-node';
import { DriveFile, FeishuClient } from '../clients/FeishuClient';
import { FeishuReadAccess } from '../access/FeishuReadAccess';
import { pullRequestTarget } from '../access/pullRequestTarget';
import { feishuBlocksToMarkdown } from '../converter/feishuBlocksToMarkdown';
import { MigrationStore } from '../database/MigrationStore';
import { GithubPullRequestDelivery } from '../delivery/GithubPullRequestDelivery';
import { whyNotRetry, whyNotRollBack } from '../migration/jobTransitions';
import {
  MigrationPlan,
  planMigration,
  SourceNode,
} from '../migration/planMigration';
import { admonitionsAsQuotes } from '../migration/renderedMarkdown';
import { sourceOutline } from '../migration/sourceOutline';
import { MigrationRunner } from './MigrationRunner';
import {
  Caller,
  MigrationListQuery,
  MigrationService,
} from './MigrationService';
import { readDocumentSource } from './readDocumentSource';

export interface DefaultMigrationServiceOptions {
  auth: AuthService;
  catalog: CatalogService;
  logger: LoggerService;
  feishu: FeishuClient;
  store: MigrationStore;
  runner: MigrationRunner;
  audit: SecurityAuditService;
  readAccess: FeishuReadAccess;
  delivery: MigrationJob['delivery'];
  /** The GitHub client of pull-request delivery: which repository a requester may write to. */
  github?: GithubPullRequestDelivery;
  githubHost?: string;
  localDirectory?: string;
  feishuWebUrl?: string;
}

/** A migration that passed every check and is ready to be queued. */
export interface PreparedMigration {
  entityRef: string;
  request: MigrationRequest;
  source: { id: string; name: string };
  destination: string;
  plan: MigrationPlan;
}

/** Where local-folder delivery writes an entity's docs: kind, namespace and name, so no two entities share one. */
export function localDestination(localDirectory: string, entity: Entity) {
  return path.resolve(
    localDirectory,
    entity.kind.toLocaleLowerCase('en-US'),
    (entity.metadata.namespace ?? 'default').toLocaleLowerCase('en-US'),
    entity.metadata.name.toLocaleLowerCase('en-US'),
  );
}

/** Drive files as planner nodes: the chosen folder is the root, so its direct contents are top level. */
function driveNodes(root: string, files: DriveFile[]): SourceNode[] {
  return files.map(file => ({
    node_token: file.token,
    obj_token: file.token,
    obj_type: file.type,
    parent_node_token: file.parent_token === root ? '' : file.parent_token,
    title: file.name,
  }));
}

function asTreeNode(node: SourceNode & { obj_edit_time?: string }) {
  const item: WikiTreeNode = {
    nodeToken: node.node_token,
    objToken: node.obj_token,
    objType: node.obj_type,
    parentNodeToken: node.parent_node_token,
    title: node.title,
  };
  if (node.obj_edit_time) {
    item.editedAt = new Date(Number(node.obj_edit_time) * 1000).toISOString();
  }
  return item;
}

/**
 * The Feishu migration's domain operations, for a caller whose permission to act on the service has
 * already been decided (AuthorizedMigrationService decides it). What is still checked here is about the
 * target itself: that Feishu lets the caller read the documents, and that the delivery goes to the
 * service's own repository, which the caller may push to.
 */
export class DefaultMigrationService implements MigrationService {
  constructor(private readonly options: DefaultMigrationServiceOptions) {}

  async listSpaces() {
    const spaces = await this.options.feishu.listSpaces();
    return spaces.map(space => ({
      spaceId: space.space_id,
      name: space.name,
      ...(space.description ? { description: space.description } : {}),
    }));
  }

  async listSpaceNodes(_caller: Caller, _entityRef: string, spaceId: string) {
    const nodes = await this.options.feishu.listNodeTree(spaceId);
    return nodes.map(asTreeNode);
  }

  async listFolders() {
    const files = await this.options.feishu.listFolder('');
    return files
      .filter(file => file.type === 'folder')
      .map(folder => ({ folderToken: folder.token, name: folder.name }));
  }

  async listFolderFiles(
    _caller: Caller,
    _entityRef: string,
    folderToken: string,
  ) {
    const files = await this.options.feishu.listFolderTree(folderToken);
    return driveNodes(folderToken, files).map(asTreeNode);
  }

  async preview(
    caller: Caller,
    request: PreviewRequest,
  ): Promise<PreviewResponse> {
    const { feishu } = this.options;
    if (Boolean(request.nodeToken) === Boolean(request.documentId)) {
      throw new InputError(
        'Invalid request: give either nodeToken (a wiki page) or documentId (a drive document)',
      );
    }
    let documentId = request.documentId!;
    let title = documentId;
    if (request.nodeToken) {
      const node = await feishu.getNode(request.nodeToken);
      if (node.obj_type !== 'docx') {
        throw new InputError(
          `${node.title} is a ${node.obj_type}; only docx documents can be previewed and migrated`,
        );
      }
      documentId = node.obj_token;
      title = node.title;
    }
    await this.options.readAccess.requireReadable(caller.userRef, [
      { documentId, title },
    ]);
    // The preview shows images inline whatever the mode, so the reviewer sees them.
    const source = await readDocumentSource(feishu, documentId, {
      commentHandling: request.options.commentHandling,
      embedImages: true,
    });
    const result = feishuBlocksToMarkdown(source.blocks, {
      ...request.options,
      handleImages: 'embed',
      embeddedImages: source.embeddedImages,
      comments: source.comments,
      userNames: source.userNames,
      feishuWebUrl: this.options.feishuWebUrl,
    });
    return {
      title: result.title,
      markdown: result.markdown,
      previewMarkdown: admonitionsAsQuotes(result.markdown),
      warnings: result.warnings,
      source: sourceOutline(source.blocks),
    };
  }

  async startMigration(caller: Caller, request: MigrationRequest) {
    return this.startPrepared(
      caller,
      await this.prepareMigration(caller, request),
    );
  }

  /** Every check a migration must pass before anything is written: source, pages, plan, destination, reads. */
  async prepareMigration(
    caller: Caller,
    request: MigrationRequest,
  ): Promise<PreparedMigration> {
    if (Boolean(request.spaceId) === Boolean(request.folderToken)) {
      throw new InputError(
        'Invalid request: give either spaceId (a wiki space) or folderToken (a drive folder)',
      );
    }
    const entity = await this.entityAsSeenBy(caller, request.entityRef);
    if (!entity) {
      throw new NotFoundError(`${request.entityRef} is not in the catalog`);
    }
    const entityRef = stringifyEntityRef(entity);
    const destination = await this.destinationFor(caller.userRef, entity);
    const { source, tree } = await this.sourceTree(request);
    const known = new Set(tree.map(node => node.node_token));
    const unknown = request.nodeTokens.filter(token => !known.has(token));
    if (unknown.length) {
      throw new InputError(
        `These pages are not in ${source.name}: ${unknown
          .slice(0, 5)
          .join(', ')}`,
      );
    }
    let plan: MigrationPlan;
    try {
      plan = planMigration(tree, new Set(request.nodeTokens), request.target);
    } catch (error) {
      throw new InputError((error as Error).message);
    }
    if (plan.documents.length === 0) {
      throw new InputError(
        `None of the selected pages is a docx document: ${plan.skipped
          .map(s => s.title)
          .join(', ')}`,
      );
    }
    await this.options.readAccess.requireReadable(
      caller.userRef,
      plan.documents
        .filter(doc => doc.objType === 'docx')
        .map(doc => ({ documentId: doc.objToken, title: doc.title })),
    );
    return { entityRef, request, source, destination, plan };
  }

  /** Queues a prepared migration, audits it and starts it on this replica. */
  async startPrepared(
    caller: Caller,
    prepared: PreparedMigration,
  ): Promise<MigrationJob> {
    const { store } = this.options;
    const { entityRef, request, source, plan } = prepared;
    const id = crypto.randomUUID();
    await store.createJob(
      {
        id,
        entityRef,
        createdBy: caller.userRef,
        status: 'queued',
        spaceId: source.id,
        spaceName: source.name,
        options: request.options,
        target: request.target,
        delivery: this.options.delivery,
        destination: prepared.destination,
        skipped: plan.skipped,
        documentsTotal: plan.documents.length,
        createdAt: new Date().toISOString(),
      },
      plan.documents,
    );
    await this.options.audit.record({
      actorRef: caller.userRef,
      action: 'feishu.migrate',
      entityRef,
      outcome: 'succeeded',
      details: {
        step: 'started',
        job: id,
        source: source.name,
        documents: plan.documents.length,
        delivery: this.options.delivery,
      },
    });
    this.runInBackground(id, 'Feishu migration');
    return this.job(id);
  }

  migratedEntityRefs(): Promise<string[]> {
    return this.options.store.listJobEntityRefs();
  }

  listMigrations(
    _caller: Caller,
    query: MigrationListQuery,
  ): Promise<MigrationJobPage> {
    return this.options.store.listJobs(query);
  }

  async getMigration(_caller: Caller, id: string) {
    const { pullRequestNumber: _number, ...job } = await this.job(id);
    const documents = (await this.options.store.listDocuments(id)).map(
      ({ objToken: _o, position: _p, permissions: _perm, ...doc }) => doc,
    );
    const details: MigrationJobDetails = { ...job, documents };
    return details;
  }

  async validateMigration(
    _caller: Caller,
    id: string,
  ): Promise<MigrationValidationReport> {
    const job = await this.job(id);
    const documents = await this.options.store.listDocuments(job.id);
    const withProblems = documents.filter(
      d => d.status !== 'converted' || !d.validation?.ok,
    );
    return {
      migrationId: job.id,
      ok:
        documents.length > 0 &&
        withProblems.length === 0 &&
        job.mkdocsBuild !== undefined &&
        job.mkdocsBuild.status !== 'failed',
      pagesChecked: documents.filter(d => d.validation).length,
      pagesWithProblems: withProblems.length,
      ...(job.mkdocsBuild ? { mkdocsBuild: job.mkdocsBuild } : {}),
      documents: documents.map(
        ({ title, path: file, status, validation, error }) => ({
          title,
          path: file,
          status,
          ...(validation ? { validation } : {}),
          ...(error ? { error } : {}),
        }),
      ),
    };
  }

  async rollback(caller: Caller, id: string): Promise<MigrationJob> {
    const job = await this.job(id);
    const refusal = whyNotRollBack(job);
    if (refusal) throw new ConflictError(refusal);
    if (!(await this.options.store.requestRollback(job.id))) {
      throw new ConflictError(
        `Migration ${job.id} changed while the rollback was requested; reload it and try again`,
      );
    }
    return this.restarted(
      caller,
      job,
      'rollback',
      'Rollback of Feishu migration',
    );
  }

  async retry(caller: Caller, id: string): Promise<MigrationJob> {
    const job = await this.job(id);
    const refusal = whyNotRetry(job);
    if (refusal) throw new ConflictError(refusal);
    if (!(await this.options.store.retryFailed(job.id))) {
      throw new ConflictError(
        `Migration ${job.id} changed while the retry was requested; reload it and try again`,
      );
    }
    return this.restarted(caller, job, 'retry', 'Feishu migration');
  }

  /** The job as stored, or NotFoundError. */
  async job(id: string) {
    const job = await this.options.store.getJob(id);
    if (!job) {
      throw new NotFoundError(`No Feishu migration ${id}`);
    }
    return job;
  }

  /** The entity as the caller may see it; a catalog outage is a 503. */
  async entityAsSeenBy(
    caller: Caller,
    entityRef: string,
  ): Promise<Entity | undefined> {
    try {
      return await this.options.catalog.getEntityByRef(entityRef, {
        credentials: caller.credentials,
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `The catalog could not be asked about ${entityRef}; try again shortly (${
          (error as Error).message
        })`,
      );
    }
  }

  private async restarted(
    caller: Caller,
    job: MigrationJob,
    step: 'rollback' | 'retry',
    what: string,
  ) {
    await this.options.audit.record({
      actorRef: caller.userRef,
      action: 'feishu.migrate',
      entityRef: job.entityRef,
      outcome: 'succeeded',
      details: { step, job: job.id },
    });
    this.runInBackground(job.id, what);
    return this.job(job.id);
  }

  private runInBackground(id: string, what: string) {
    void this.options.runner
      .run(id)
      .catch(error =>
        this.options.logger.error(`${what} ${id} stopped: ${error}`),
      );
  }

  /** The chosen wiki space or drive folder, and every node in it (parents first). */
  private async sourceTree(request: MigrationRequest) {
    const { feishu } = this.options;
    if (request.spaceId) {
      const spaceId = request.spaceId;
      const space = (await feishu.listSpaces()).find(
        s => s.space_id === spaceId,
      );
      if (!space) {
        throw new NotFoundError(
          `Feishu space ${spaceId} does not exist or the portal's Feishu app may not read it`,
        );
      }
      return {
        source: { id: space.space_id, name: space.name },
        tree: await feishu.listNodeTree(space.space_id),
      };
    }
    const token = request.folderToken!;
    // The wizard offers top-level folders; a nested one is named by its token.
    const folder = (await feishu.listFolder('')).find(f => f.token === token);
    const files = await feishu.listFolderTree(token);
    return {
      source: { id: token, name: folder?.name ?? token },
      tree: driveNodes(token, files),
    };
  }

  /** Where the job delivers: the entity's own repository (and the requester may push there), or its folder. */
  private async destinationFor(userRef: string, entity: Entity) {
    const { options } = this;
    const entityRef = stringifyEntityRef(entity);
    if (options.delivery === 'local-folder') {
      if (!options.localDirectory) {
        throw new InputError(
          'feishu.migration.localDirectory is not configured; set it for local-folder delivery',
        );
      }
      return localDestination(options.localDirectory, entity);
    }
    const target = pullRequestTarget(
      entity,
      options.githubHost ?? 'github.com',
    );
    if ('refusal' in target) {
      return this.deny(userRef, entityRef, target.refusal);
    }
    const user = await options.catalog.getEntityByRef(userRef, {
      credentials: await options.auth.getOwnServiceCredentials(),
    });
    // The GitHub org provider names users after their logins and records the login.
    const login =
      user?.metadata.annotations?.['github.com/user-login'] ??
      user?.metadata.name;
    const permission =
      login && options.github
        ? await options.github.permissionOf(target.slug, login)
        : 'none';
    if (!['admin', 'maintain', 'write'].includes(permission)) {
      return this.deny(
        userRef,
        entityRef,
        `${login ?? userRef} may not push to ${
          target.slug
        } on GitHub (${permission}); the pull request is opened for you, so you need write access there`,
      );
    }
    return target.slug;
  }

  private async deny(
    userRef: string,
    entityRef: string,
    reason: string,
  ): Promise<never> {
    await this.options.audit.record({
      actorRef: userRef,
      action: 'feishu.migrate',
      entityRef,
      outcome: 'denied',
      details: { reason },
    });
    throw new NotAllowedError(reason);
  }
}
