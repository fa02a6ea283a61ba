import crypto from 'node:crypto';
import path from 'node:path';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
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
import { DriveFile, FeishuClient } from '../clients/FeishuClient';
import { feishuBlocksToMarkdown } from '../converter/feishuBlocksToMarkdown';
import { admonitionsAsQuotes } from '../migration/renderedMarkdown';
import { MigrationStore } from '../database/MigrationStore';
import { planMigration, SourceNode } from '../migration/planMigration';
import { sourceOutline } from '../migration/sourceOutline';
import { ACTIVE_STATUSES, MigrationRunner } from './MigrationRunner';
import { readDocumentSource } from './readDocumentSource';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  logger: LoggerService;
  feishu: FeishuClient;
  store: MigrationStore;
  runner: MigrationRunner;
  access: SecurityAccessService;
  audit: SecurityAuditService;
  delivery: MigrationJob['delivery'];
  localDirectory?: string;
  feishuWebUrl?: string;
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
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const userOf = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return { credentials, userRef: credentials.principal.userEntityRef };
  };

  /** Reading Feishu through the app's token is migrating: only who may migrate into the service may look. */
  const requireMigrate = async (userRef: string, entityRef: string) => {
    const result = await access.validate(userRef, 'feishu.migrate', entityRef);
    if (!result.allowed) {
      await audit.record({
        actorRef: userRef,
        action: 'feishu.migrate',
        entityRef,
        outcome: 'denied',
        details: { reason: result.reason },
      });
      throw new NotAllowedError(
        `You may not migrate Feishu documents into ${entityRef}: ${
          result.reason ?? 'not permitted'
        }`,
      );
    }
    return result;
  };

  /** The chosen wiki space or drive folder, and every node in it (parents first). */
  const sourceTree = async (body: {
    spaceId?: string;
    folderToken?: string;
  }) => {
    if (body.spaceId) {
      const space = (await feishu.listSpaces()).find(
        s => s.space_id === body.spaceId,
      );
      if (!space) {
        throw new InputError(
          `Feishu space ${body.spaceId} does not exist or the app cannot read it`,
        );
      }
      return {
        source: { id: space.space_id, name: space.name },
        tree: await feishu.listNodeTree(space.space_id),
      };
    }
    const token = body.folderToken!;
    // The wizard offers top-level folders; a nested one is named by its token.
    const folder = (await feishu.listFolder('')).find(f => f.token === token);
    const files = await feishu.listFolderTree(token).catch(() => {
      throw new InputError(
        `Feishu folder ${token} does not exist or the app cannot read it`,
      );
    });
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
    await requireMigrate(userRef, entityRefFromQuery(req));
    const spaces = await feishu.listSpaces();
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
    await requireMigrate(userRef, entityRefFromQuery(req));
    const nodes = await feishu.listNodeTree(req.params.spaceId);
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
    await requireMigrate(userRef, entityRefFromQuery(req));
    const items: DriveFolderSummary[] = (await feishu.listFolder(''))
      .filter(file => file.type === 'folder')
      .map(folder => ({ folderToken: folder.token, name: folder.name }));
    res.json({ items });
  });

  router.get('/folders/:folderToken/files', async (req, res) => {
    const { userRef } = await userOf(req);
    await requireMigrate(userRef, entityRefFromQuery(req));
    const items: WikiTreeNode[] = driveNodes(
      req.params.folderToken,
      await feishu.listFolderTree(req.params.folderToken),
    ).map(node => ({
      nodeToken: node.node_token,
      objToken: node.obj_token,
      objType: node.obj_type,
      parentNodeToken: node.parent_node_token,
      title: node.title,
    }));
    res.json({ items });
  });

  router.post('/preview', async (req, res) => {
    const { userRef } = await userOf(req);
    const body = parseBody(previewRequest, req.body);
    await requireMigrate(userRef, normaliseEntityRef(body.entityRef));
    if (Boolean(body.nodeToken) === Boolean(body.documentId)) {
      throw new InputError(
        'Invalid request: give either nodeToken (a wiki page) or documentId (a drive document)',
      );
    }
    let documentId = body.documentId!;
    if (body.nodeToken) {
      const node = await feishu.getNode(body.nodeToken);
      if (node.obj_type !== 'docx') {
        throw new InputError(
          `${node.title} is a ${node.obj_type}; only docx documents can be previewed and migrated`,
        );
      }
      documentId = node.obj_token;
    }
    // The preview shows images inline whatever the mode, so the reviewer sees them.
    const source = await readDocumentSource(feishu, documentId, {
      commentHandling: body.options.commentHandling,
      embedImages: true,
    });
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

  router.post('/migrations', async (req, res) => {
    const { credentials, userRef } = await userOf(req);
    const body = parseBody(migrationRequest, req.body);
    const entityRef = normaliseEntityRef(body.entityRef);
    const decision = await requireMigrate(userRef, entityRef);
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`${entityRef} is not in the catalog`);
    }
    let destination: string;
    if (options.delivery === 'pull-request') {
      const slug = entity.metadata.annotations?.['github.com/project-slug'];
      if (!slug) {
        throw new InputError(
          `${entityRef} has no github.com/project-slug annotation, so there is no repository to open a pull request in`,
        );
      }
      destination = slug;
    } else {
      if (!options.localDirectory) {
        throw new InputError(
          'feishu.migration.localDirectory is not configured; set it for local-folder delivery',
        );
      }
      destination = path.resolve(options.localDirectory, entity.metadata.name);
    }

    if (Boolean(body.spaceId) === Boolean(body.folderToken)) {
      throw new InputError(
        'Invalid request: give either spaceId (a wiki space) or folderToken (a drive folder)',
      );
    }
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
    if (decision.requiresApproval) {
      try {
        await access.consumeApproval(userRef, 'feishu.migrate', entityRef);
      } catch (error) {
        await audit.record({
          actorRef: userRef,
          action: 'feishu.migrate',
          entityRef,
          outcome: 'denied',
          details: { reason: 'no approval' },
        });
        throw new NotAllowedError(
          `Migrating into ${entityRef} needs an approval from ${
            decision.approvers?.join(', ') || 'its owners'
          }: request one on the Access & approvals page, then start the migration again`,
        );
      }
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

  router.get('/migrations', async (req, res) => {
    await userOf(req);
    const limit = Math.min(Number(req.query.limit ?? 20) || 20, 100);
    const offset = Math.max(Number(req.query.offset ?? 0) || 0, 0);
    const entityRef =
      typeof req.query.entityRef === 'string' && req.query.entityRef
        ? normaliseEntityRef(req.query.entityRef)
        : undefined;
    res.json(await store.listJobs({ entityRef, limit, offset }));
  });

  const jobOr404 = async (id: string) => {
    const job = await store.getJob(id);
    if (!job) throw new NotFoundError(`No Feishu migration ${id}`);
    return job;
  };

  router.get('/migrations/:id', async (req, res) => {
    await userOf(req);
    const { pullRequestNumber: _number, ...job } = await jobOr404(
      req.params.id,
    );
    const documents = (await store.listDocuments(job.id)).map(
      ({ objToken: _o, position: _p, permissions: _perm, ...doc }) => doc,
    );
    res.json({ ...job, documents });
  });

  router.get('/migrations/:id/validation', async (req, res) => {
    await userOf(req);
    const job = await jobOr404(req.params.id);
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

  router.post('/migrations/:id/rollback', async (req, res) => {
    const { userRef } = await userOf(req);
    const job = await jobOr404(req.params.id);
    await requireMigrate(userRef, job.entityRef);
    if (ACTIVE_STATUSES.includes(job.status)) {
      throw new ConflictError(
        `Migration ${job.id} is ${job.status}; roll it back once it has finished`,
      );
    }
    if (job.status === 'rolled_back') {
      throw new ConflictError(`Migration ${job.id} is already rolled back`);
    }
    await store.updateJob(job.id, { status: 'rolling_back' });
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
    const { userRef } = await userOf(req);
    const job = await jobOr404(req.params.id);
    await requireMigrate(userRef, job.entityRef);
    if (job.status !== 'failed') {
      throw new ConflictError(
        `Only a failed migration can be retried; ${job.id} is ${job.status}`,
      );
    }
    await store.retryFailed(job.id);
    void runner
      .run(job.id)
      .catch(error =>
        options.logger.error(`Feishu migration ${job.id} stopped: ${error}`),
      );
    res.status(202).json(await store.getJob(job.id));
  });

  return router;
}
