import crypto from 'node:crypto';
import path from 'node:path';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  DriveFolderSummary,
  MigrationJob,
  MigrationValidationReport,
  PreviewResponse,
  WikiTreeNode,
} from '@internal/plugin-feishu-migration-common';
import {
  SecurityAccessService,
  SecurityAuditService,
} from '@internal/plugin-security-node';
import {
  DriveFile,
  FeishuApiError,
  FeishuClient,
} from '../clients/FeishuClient';
import { FeishuReadAccess } from '../access/FeishuReadAccess';
import { pullRequestTarget } from '../access/pullRequestTarget';
import { GithubPullRequestDelivery } from '../delivery/GithubPullRequestDelivery';
import { feishuBlocksToMarkdown } from '../converter/feishuBlocksToMarkdown';
import { admonitionsAsQuotes } from '../migration/renderedMarkdown';
import { MigrationStore } from '../database/MigrationStore';
import { planMigration, SourceNode } from '../migration/planMigration';
import { sourceOutline } from '../migration/sourceOutline';
import { ACTIVE_STATUSES, MigrationRunner } from './MigrationRunner';
import { readDocumentSource } from './readDocumentSource';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auth: AuthService;
  catalog: CatalogService;
  logger: LoggerService;
  feishu: FeishuClient;
  store: MigrationStore;
  runner: MigrationRunner;
  access: SecurityAccessService;
  audit: SecurityAuditService;
  delivery: MigrationJob['delivery'];
  /** The GitHub client of pull-request delivery: which repository a requester may write to. */
  github?: GithubPullRequestDelivery;
  githubHost?: string;
  localDirectory?: string;
  feishuWebUrl?: string;
}

/** Feishu's answers for "no such space, node, document or folder" (or none the app may see). */
const FEISHU_NOT_FOUND = new Set([131005, 1770002, 1061004, 1061003, 1063002]);

/** A Feishu failure as the route's answer: unknown things are 404, an outage 503, never a 500. */
async function fromFeishu<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof FeishuApiError)) throw error;
    if (error.code !== undefined && FEISHU_NOT_FOUND.has(error.code)) {
      throw new NotFoundError(
        `${what} does not exist in Feishu, or the portal's Feishu app may not read it`,
      );
    }
    throw new ServiceUnavailableError(
      `Feishu did not answer for ${what}; try again shortly (${error.message})`,
    );
  }
}

/** Where local-folder delivery writes an entity's docs: kind, namespace and name, so no two entities share one. */
export function localDestination(localDirectory: string, entity: Entity) {
  const {
    kind,
    namespace = 'default',
    name,
  } = {
    ...entity.metadata,
    kind: entity.kind,
  };
  return path.resolve(
    localDirectory,
    kind.toLocaleLowerCase('en-US'),
    namespace.toLocaleLowerCase('en-US'),
    name.toLocaleLowerCase('en-US'),
  );
}

const conversionOptions = z.object({
  preserveFormatting: z.boolean(),
  handleImages: z.enum(['download', 'link', 'embed']),
  convertTables: z.boolean(),
  commentHandling: z.enum(['preserve', 'remove', 'convert_to_notes']),
});

const migrationRequest = z.object({
  entityRef: z.string().min(1),
  spaceId: z.string().min(1).optional(),
  folderToken: z.string().min(1).optional(),
  nodeTokens: z.array(z.string().min(1)).min(1).max(2000),
  options: conversionOptions,
  target: z.object({
    docsPath: z.string().min(1),
    preserveHierarchy: z.boolean(),
  }),
});

const previewRequest = z.object({
  entityRef: z.string().min(1),
  nodeToken: z.string().min(1).optional(),
  documentId: z.string().min(1).optional(),
  options: conversionOptions,
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(
      `Invalid request: ${issue.path.join('.') || 'body'}: ${issue.message}`,
    );
  }
  return result.data;
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

function normaliseEntityRef(ref: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind: 'component' }),
    );
  } catch {
    throw new InputError(
      `"${ref}" is not an entity ref; use e.g. component:default/invoice-service`,
    );
  }
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, catalog, feishu, store, runner, access, audit } = options;
  const readAccess = new FeishuReadAccess(
    feishu,
    catalog,
    options.auth,
    access,
  );
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const userOf = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return { credentials, userRef: credentials.principal.userEntityRef };
  };

  const denied = async (userRef: string, entityRef: string, reason: string) => {
    await audit.record({
      actorRef: userRef,
      action: 'feishu.migrate',
      entityRef,
      outcome: 'denied',
      details: { reason },
    });
  };

  /**
   * Who may migrate into the service may act; reading Feishu through the app's token (browsing, preview)
   * follows the same rule, including the approval: a read needs an approved grant but leaves it for the
   * migration, which consumes it.
   */
  const requireMigrate = async (
    userRef: string,
    entityRef: string,
    purpose: 'read' | 'act',
  ) => {
    const result = await access.validate(userRef, 'feishu.migrate', entityRef);
    if (!result.allowed) {
      await denied(userRef, entityRef, result.reason ?? 'not permitted');
      throw new NotAllowedError(
        `You may not migrate Feishu documents into ${entityRef}: ${
          result.reason ?? 'not permitted'
        }`,
      );
    }
    if (
      purpose === 'read' &&
      result.requiresApproval &&
      !(await access.hasApproval(userRef, 'feishu.migrate', entityRef))
    ) {
      await denied(userRef, entityRef, 'no approval to read Feishu');
      throw new NotAllowedError(
        `Reading Feishu for ${entityRef} needs the same approval as migrating into it, from ${
          result.approvers?.join(', ') || 'its owners'
        }: request one on the Access & approvals page`,
      );
    }
    return result;
  };

  const consumeApproval = async (
    userRef: string,
    entityRef: string,
    approvers: string[] | undefined,
    step: string,
  ) => {
    try {
      await access.consumeApproval(userRef, 'feishu.migrate', entityRef);
    } catch (error) {
      if (error instanceof ServiceUnavailableError) throw error;
      await denied(userRef, entityRef, `no approval to ${step}`);
      throw new NotAllowedError(
        `To ${step} in ${entityRef} you need an approval from ${
          approvers?.join(', ') || 'its owners'
        }: request one on the Access & approvals page, then try again`,
      );
    }
  };

  /** The entity as the caller may see it; a catalog outage is a 503, an entity they cannot see a 404. */
  const visibleEntity = async (
    entityRef: string,
    credentials: BackstageCredentials,
  ) => {
    let entity: Entity | undefined;
    try {
      entity = await catalog.getEntityByRef(entityRef, { credentials });
    } catch (error) {
      throw new ServiceUnavailableError(
        `The catalog could not be asked about ${entityRef}; try again shortly (${
          (error as Error).message
        })`,
      );
    }
    return entity;
  };

  /** The chosen wiki space or drive folder, and every node in it (parents first). */
  const sourceTree = async (body: {
    spaceId?: string;
    folderToken?: string;
  }) => {
    if (body.spaceId) {
      const spaceId = body.spaceId;
      const space = (
        await fromFeishu('The wiki spaces', () => feishu.listSpaces())
      ).find(s => s.space_id === spaceId);
      if (!space) {
        throw new NotFoundError(
          `Feishu space ${spaceId} does not exist or the portal's Feishu app may not read it`,
        );
      }
      return {
        source: { id: space.space_id, name: space.name },
        tree: await fromFeishu(`Feishu space ${spaceId}`, () =>
          feishu.listNodeTree(space.space_id),
        ),
      };
    }
    const token = body.folderToken!;
    // The wizard offers top-level folders; a nested one is named by its token.
    const folder = (
      await fromFeishu('The drive root', () => feishu.listFolder(''))
    ).find(f => f.token === token);
    const files = await fromFeishu(`Feishu folder ${token}`, () =>
      feishu.listFolderTree(token),
    );
    return {
      source: { id: token, name: folder?.name ?? token },
      tree: driveNodes(token, files),
    };
  };

  const entityRefFromQuery = (req: express.Request) => {
    const ref = req.query.entityRef;
    if (typeof ref !== 'string' || !ref) {
      throw new InputError(
        'entityRef query parameter is required: the service you are migrating into',
      );
    }
    return normaliseEntityRef(ref);
  };

  router.get('/spaces', async (req, res) => {
    const { userRef } = await userOf(req);
    await requireMigrate(userRef, entityRefFromQuery(req), 'read');
    const spaces = await fromFeishu('The wiki spaces', () =>
      feishu.listSpaces(),
    );
    res.json({
      items: spaces.map(space => ({
        spaceId: space.space_id,
        name: space.name,
        description: space.description,
      })),
    });
  });

  router.get('/spaces/:spaceId/nodes', async (req, res) => {
    const { userRef } = await userOf(req);
    await requireMigrate(userRef, entityRefFromQuery(req), 'read');
    const nodes = await fromFeishu(`Feishu space ${req.params.spaceId}`, () =>
      feishu.listNodeTree(req.params.spaceId),
    );
    const items: WikiTreeNode[] = nodes.map(node => ({
      nodeToken: node.node_token,
      objToken: node.obj_token,
      objType: node.obj_type,
      parentNodeToken: node.parent_node_token,
      title: node.title,
      editedAt: node.obj_edit_time
        ? new Date(Number(node.obj_edit_time) * 1000).toISOString()
        : undefined,
    }));
    res.json({ items });
  });

  router.get('/folders', async (req, res) => {
    const { userRef } = await userOf(req);
    await requireMigrate(userRef, entityRefFromQuery(req), 'read');
    const items: DriveFolderSummary[] = (
      await fromFeishu('The drive root', () => feishu.listFolder(''))
    )
      .filter(file => file.type === 'folder')
      .map(folder => ({ folderToken: folder.token, name: folder.name }));
    res.json({ items });
  });

  router.get('/folders/:folderToken/files', async (req, res) => {
    const { userRef } = await userOf(req);
    await requireMigrate(userRef, entityRefFromQuery(req), 'read');
    const files = await fromFeishu(
      `Feishu folder ${req.params.folderToken}`,
      () => feishu.listFolderTree(req.params.folderToken),
    );
    const items: WikiTreeNode[] = driveNodes(req.params.folderToken, files).map(
      node => ({
        nodeToken: node.node_token,
        objToken: node.obj_token,
        objType: node.obj_type,
        parentNodeToken: node.parent_node_token,
        title: node.title,
      }),
    );
    res.json({ items });
  });

  router.post('/preview', async (req, res) => {
    const { userRef } = await userOf(req);
    const body = parseBody(previewRequest, req.body);
    await requireMigrate(userRef, normaliseEntityRef(body.entityRef), 'read');
    if (Boolean(body.nodeToken) === Boolean(body.documentId)) {
      throw new InputError(
        'Invalid request: give either nodeToken (a wiki page) or documentId (a drive document)',
      );
    }
    let documentId = body.documentId!;
    let title = documentId;
    if (body.nodeToken) {
      const nodeToken = body.nodeToken;
      const node = await fromFeishu(`Wiki page ${nodeToken}`, () =>
        feishu.getNode(nodeToken),
      );
      if (node.obj_type !== 'docx') {
        throw new InputError(
          `${node.title} is a ${node.obj_type}; only docx documents can be previewed and migrated`,
        );
      }
      documentId = node.obj_token;
      title = node.title;
    }
    await readAccess.requireReadable(userRef, [{ documentId, title }]);
    // The preview shows images inline whatever the mode, so the reviewer sees them.
    const source = await fromFeishu(`Document ${documentId}`, () =>
      readDocumentSource(feishu, documentId, {
        commentHandling: body.options.commentHandling,
        embedImages: true,
      }),
    );
    const result = feishuBlocksToMarkdown(source.blocks, {
      ...body.options,
      handleImages: 'embed',
      embeddedImages: source.embeddedImages,
      comments: source.comments,
      userNames: source.userNames,
      feishuWebUrl: options.feishuWebUrl,
    });
    const response: PreviewResponse = {
      title: result.title,
      markdown: result.markdown,
      previewMarkdown: admonitionsAsQuotes(result.markdown),
      warnings: result.warnings,
      source: sourceOutline(source.blocks),
    };
    res.json(response);
  });

  /** Where the job delivers: the entity's own repository (and the requester may push there), or its folder. */
  const destinationFor = async (userRef: string, entity: Entity) => {
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
      await denied(userRef, entityRef, target.refusal);
      throw new NotAllowedError(target.refusal);
    }
    const user = await catalog.getEntityByRef(userRef, {
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
      const reason = `${login ?? userRef} may not push to ${
        target.slug
      } on GitHub (${permission}); the pull request is opened for you, so you need write access there`;
      await denied(userRef, entityRef, reason);
      throw new NotAllowedError(reason);
    }
    return target.slug;
  };

  router.post('/migrations', async (req, res) => {
    const { credentials, userRef } = await userOf(req);
    const body = parseBody(migrationRequest, req.body);
    const entityRef = normaliseEntityRef(body.entityRef);
    const decision = await requireMigrate(userRef, entityRef, 'act');
    const entity = await visibleEntity(entityRef, credentials);
    if (!entity) {
      throw new NotFoundError(`${entityRef} is not in the catalog`);
    }
    if (Boolean(body.spaceId) === Boolean(body.folderToken)) {
      throw new InputError(
        'Invalid request: give either spaceId (a wiki space) or folderToken (a drive folder)',
      );
    }
    const destination = await destinationFor(userRef, entity);
    const { source, tree } = await sourceTree(body);
    const known = new Set(tree.map(node => node.node_token));
    const unknown = body.nodeTokens.filter(token => !known.has(token));
    if (unknown.length) {
      throw new InputError(
        `These pages are not in ${source.name}: ${unknown
          .slice(0, 5)
          .join(', ')}`,
      );
    }
    let plan;
    try {
      plan = planMigration(tree, new Set(body.nodeTokens), body.target);
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
    await readAccess.requireReadable(
      userRef,
      plan.documents
        .filter(doc => doc.objType === 'docx')
        .map(doc => ({ documentId: doc.objToken, title: doc.title })),
    );
    if (decision.requiresApproval) {
      await consumeApproval(
        userRef,
        entityRef,
        decision.approvers,
        'migrate Feishu documents',
      );
    }
    const id = crypto.randomUUID();
    await store.createJob(
      {
        id,
        entityRef,
        createdBy: userRef,
        status: 'queued',
        spaceId: source.id,
        spaceName: source.name,
        options: body.options,
        target: body.target,
        delivery: options.delivery,
        destination,
        skipped: plan.skipped,
        documentsTotal: plan.documents.length,
        createdAt: new Date().toISOString(),
      },
      plan.documents,
    );
    await audit.record({
      actorRef: userRef,
      action: 'feishu.migrate',
      entityRef,
      outcome: 'succeeded',
      details: {
        step: 'started',
        job: id,
        source: source.name,
        documents: plan.documents.length,
        delivery: options.delivery,
      },
    });
    void runner
      .run(id)
      .catch(error =>
        options.logger.error(`Feishu migration ${id} stopped: ${error}`),
      );
    res.status(202).json(await store.getJob(id));
  });

  /** The services among these whose entities the caller may read in the catalog. */
  const readableEntityRefs = async (
    refs: string[],
    credentials: BackstageCredentials,
  ) => {
    if (refs.length === 0) return [];
    let items: Array<Entity | undefined>;
    try {
      ({ items } = await catalog.getEntitiesByRefs(
        { entityRefs: refs, fields: ['kind', 'metadata.name'] },
        { credentials },
      ));
    } catch (error) {
      throw new ServiceUnavailableError(
        `The catalog could not say which services you may see; try again shortly (${
          (error as Error).message
        })`,
      );
    }
    return refs.filter((_, i) => items[i] !== undefined && items[i] !== null);
  };

  router.get('/migrations', async (req, res) => {
    const { credentials } = await userOf(req);
    const limit = Math.min(Number(req.query.limit ?? 20) || 20, 100);
    const offset = Math.max(Number(req.query.offset ?? 0) || 0, 0);
    const entityRef =
      typeof req.query.entityRef === 'string' && req.query.entityRef
        ? normaliseEntityRef(req.query.entityRef)
        : undefined;
    const candidates = entityRef
      ? [entityRef]
      : await store.listJobEntityRefs();
    const entityRefs = await readableEntityRefs(candidates, credentials);
    res.json(await store.listJobs({ entityRefs, limit, offset }));
  });

  /** A job whose service the caller may read; any other is as unknown as one that does not exist. */
  const visibleJob = async (id: string, credentials: BackstageCredentials) => {
    const job = await store.getJob(id);
    if (!job || !(await visibleEntity(job.entityRef, credentials))) {
      throw new NotFoundError(`No Feishu migration ${id}`);
    }
    return job;
  };

  router.get('/migrations/:id', async (req, res) => {
    const { credentials } = await userOf(req);
    const { pullRequestNumber: _number, ...job } = await visibleJob(
      req.params.id,
      credentials,
    );
    const documents = (await store.listDocuments(job.id)).map(
      ({ objToken: _o, position: _p, permissions: _perm, ...doc }) => doc,
    );
    res.json({ ...job, documents });
  });

  router.get('/migrations/:id/validation', async (req, res) => {
    const { credentials } = await userOf(req);
    const job = await visibleJob(req.params.id, credentials);
    const documents = await store.listDocuments(job.id);
    const withProblems = documents.filter(
      d => d.status !== 'converted' || !d.validation?.ok,
    );
    const report: MigrationValidationReport = {
      migrationId: job.id,
      ok:
        documents.length > 0 &&
        withProblems.length === 0 &&
        job.mkdocsBuild !== undefined &&
        job.mkdocsBuild.status !== 'failed',
      pagesChecked: documents.filter(d => d.validation).length,
      pagesWithProblems: withProblems.length,
      mkdocsBuild: job.mkdocsBuild,
      documents: documents.map(
        ({ title, path: file, status, validation, error }) => ({
          title,
          path: file,
          status,
          validation,
          error,
        }),
      ),
    };
    res.json(report);
  });

  /**
   * Rolling back or retrying changes what a job did: its creator, the service's owners and admins may,
   * if they may still migrate into the service, and with a fresh approval where the policy asks for one.
   */
  const requireJobManager = async (
    req: express.Request,
    step: string,
    /** Checked before an approval is used up on it. */
    precondition: (job: MigrationJob) => void,
  ) => {
    const { credentials, userRef } = await userOf(req);
    const job = await visibleJob(req.params.id, credentials);
    const decision = await requireMigrate(userRef, job.entityRef, 'act');
    const subject = await access.subjectOf(userRef);
    const entity = await visibleEntity(job.entityRef, credentials);
    const owner = String(entity?.spec?.owner ?? '').toLocaleLowerCase('en-US');
    const ownerRef = owner.includes(':')
      ? owner
      : `group:${entity?.metadata.namespace ?? 'default'}/${owner}`;
    const mine = [userRef, ...subject.groups].map(r =>
      r.toLocaleLowerCase('en-US'),
    );
    if (
      job.createdBy !== userRef &&
      subject.role !== 'admin' &&
      !mine.includes(ownerRef)
    ) {
      const reason = `only ${job.createdBy}, the owners of ${job.entityRef} and admins may ${step} this migration`;
      await denied(userRef, job.entityRef, reason);
      throw new NotAllowedError(reason);
    }
    precondition(job);
    if (decision.requiresApproval) {
      await consumeApproval(userRef, job.entityRef, decision.approvers, step);
    }
    return { job, userRef };
  };

  router.post('/migrations/:id/rollback', async (req, res) => {
    const { job, userRef } = await requireJobManager(req, 'roll back', j => {
      if (ACTIVE_STATUSES.includes(j.status)) {
        throw new ConflictError(
          `Migration ${j.id} is ${j.status}; roll it back once it has finished`,
        );
      }
      if (j.status === 'rolled_back') {
        throw new ConflictError(`Migration ${j.id} is already rolled back`);
      }
    });
    if (!(await store.requestRollback(job.id))) {
      throw new ConflictError(
        `Migration ${job.id} changed while the rollback was requested; reload it and try again`,
      );
    }
    await audit.record({
      actorRef: userRef,
      action: 'feishu.migrate',
      entityRef: job.entityRef,
      outcome: 'succeeded',
      details: { step: 'rollback', job: job.id },
    });
    void runner
      .run(job.id)
      .catch(error =>
        options.logger.error(
          `Rollback of Feishu migration ${job.id} stopped: ${error}`,
        ),
      );
    res.status(202).json(await store.getJob(job.id));
  });

  router.post('/migrations/:id/retry', async (req, res) => {
    const { job, userRef } = await requireJobManager(req, 'retry', j => {
      if (j.status !== 'failed') {
        throw new ConflictError(
          `Only a failed migration can be retried; ${j.id} is ${j.status}`,
        );
      }
    });
    if (!(await store.retryFailed(job.id))) {
      throw new ConflictError(
        `Migration ${job.id} changed while the retry was requested; reload it and try again`,
      );
    }
    await audit.record({
      actorRef: userRef,
      action: 'feishu.migrate',
      entityRef: job.entityRef,
      outcome: 'succeeded',
      details: { step: 'retry', job: job.id },
    });
    void runner
      .run(job.id)
      .catch(error =>
        options.logger.error(`Feishu migration ${job.id} stopped: ${error}`),
      );
    res.status(202).json(await store.getJob(job.id));
  });

  return router;
}
