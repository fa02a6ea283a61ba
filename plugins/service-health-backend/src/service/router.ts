import express from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createOpenApiRouter } from '../schema/openapi';
import { ServiceHealthService } from './ServiceHealthService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  /** The authorizing service: every route reads as the signed-in caller. */
  health: ServiceHealthService;
}

/** A service's ref in full; a bare name means a component in the default namespace. */
function entityRefOf(value: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind: 'component' }),
    );
  } catch {
    throw new InputError(
      `"${value}" is not an entity ref; use e.g. component:default/invoice-service`,
    );
  }
}

/** HTTP only: the contract (src/schema/openapi.yaml) validates the shape, the service does the rest. */
export async function createRouter({
  httpAuth,
  health,
}: RouterOptions): Promise<express.Router> {
  const router = await createOpenApiRouter();
  const caller = (req: express.Request<any, any, any, any>) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.post('/deployments/sync', async (req, res) => {
    res
      .status(202)
      .json(
        await health.sync(
          await caller(req),
          entityRefOf(req.body.entityRef),
          req.body.application,
        ),
      );
  });

  router.get('/deployments', async (req, res) => {
    res.json(
      await health.deployments(
        await caller(req),
        entityRefOf(req.query.entityRef),
        // The validator checks the value; a query string may still arrive as text.
        { refresh: String(req.query.refresh) === 'true' },
      ),
    );
  });
  // Read-only and filtered: the Roadie Argo CD cards read these instead of a proxy with the portal's token.
  router.get('/argocd/api/applications', async (req, res) => {
    const items = await health.argoApplications(
      await caller(req),
      req.query.selector || undefined,
    );
    res.json({ items });
  });
  router.get('/argocd/api/applications/:name', async (req, res) => {
    res.json(await health.argoApplication(await caller(req), req.params.name));
  });

  router.get(
    '/argocd/api/applications/:name/revisions/:revision/metadata',
    async (req, res) => {
      res.json(
        await health.argoRevisionMetadata(
          await caller(req),
          req.params.name,
          req.params.revision,
        ),
      );
    },
  );

  router.get('/monitors', async (req, res) => {
    res.json(
      await health.monitors(
        await caller(req),
        entityRefOf(req.query.entityRef),
      ),
    );
  });
  router.get('/errors', async (req, res) => {
    res.json(
      await health.errors(await caller(req), entityRefOf(req.query.entityRef)),
    );
  });
  router.get('/changes', async (req, res) => {
    res.json(
      await health.changes(await caller(req), entityRefOf(req.query.entityRef)),
    );
  });
  return router;
}
