import express from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createOpenApiRouter } from '../schema/openapi';
import { Caller, MigrationService } from './MigrationService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  /** The authorizing service: every route acts as the signed-in caller. */
  migrations: MigrationService;
}

/** A service's ref in full; a bare name means a component in the default namespace. */
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

/** HTTP only: the contract (src/schema/openapi.yaml) validates the shape, the service does the rest. */
export async function createRouter({
  httpAuth,
  migrations,
}: RouterOptions): Promise<express.Router> {
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '1mb' })],
  });

  const callerOf = async (
    req: express.Request<any, any, any, any>,
  ): Promise<Caller> => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return { credentials, userRef: credentials.principal.userEntityRef };
  };

  router.get('/spaces', async (req, res) => {
    const items = await migrations.listSpaces(
      await callerOf(req),
      normaliseEntityRef(req.query.entityRef),
    );
    res.json({ items });
  });

  router.get('/spaces/:spaceId/nodes', async (req, res) => {
    const items = await migrations.listSpaceNodes(
      await callerOf(req),
      normaliseEntityRef(req.query.entityRef),
      req.params.spaceId,
    );
    res.json({ items });
  });

  router.get('/folders', async (req, res) => {
    const items = await migrations.listFolders(
      await callerOf(req),
      normaliseEntityRef(req.query.entityRef),
    );
    res.json({ items });
  });

  router.get('/folders/:folderToken/files', async (req, res) => {
    const items = await migrations.listFolderFiles(
      await callerOf(req),
      normaliseEntityRef(req.query.entityRef),
      req.params.folderToken,
    );
    res.json({ items });
  });

  router.post('/preview', async (req, res) => {
    res.json(
      await migrations.preview(await callerOf(req), {
        ...req.body,
        entityRef: normaliseEntityRef(req.body.entityRef),
      }),
    );
  });

  router.post('/migrations', async (req, res) => {
    const job = await migrations.startMigration(await callerOf(req), {
      ...req.body,
      entityRef: normaliseEntityRef(req.body.entityRef),
    });
    res.status(202).json(job);
  });

  router.get('/migrations', async (req, res) => {
    const { entityRef, limit = 20, offset = 0 } = req.query;
    res.json(
      await migrations.listMigrations(await callerOf(req), {
        entityRefs: entityRef ? [normaliseEntityRef(entityRef)] : undefined,
        limit,
        offset,
      }),
    );
  });

  router.get('/migrations/:id', async (req, res) => {
    res.json(await migrations.getMigration(await callerOf(req), req.params.id));
  });

  router.get('/migrations/:id/validation', async (req, res) => {
    res.json(
      await migrations.validateMigration(await callerOf(req), req.params.id),
    );
  });

  router.post('/migrations/:id/rollback', async (req, res) => {
    res
      .status(202)
      .json(await migrations.rollback(await callerOf(req), req.params.id));
  });

  router.post('/migrations/:id/retry', async (req, res) => {
    res
      .status(202)
      .json(await migrations.retry(await callerOf(req), req.params.id));
  });

  return router;
}
