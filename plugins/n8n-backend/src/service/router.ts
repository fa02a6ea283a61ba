import express from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { createOpenApiRouter } from '../schema/openapi';
import { Caller, RunService } from './RunService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  runs: RunService;
}

/** HTTP only: the contract (src/schema/openapi.yaml) validates the shape, RunService decides. */
export async function createRouter({
  httpAuth,
  runs,
}: RouterOptions): Promise<express.Router> {
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '64kb' })],
  });
  const caller = async (
    req: express.Request<any, any, any, any>,
  ): Promise<Caller> => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return { credentials, userRef: credentials.principal.userEntityRef };
  };

  router.get('/actions', async (req, res) => {
    await caller(req);
    res.json({ items: runs.listActions() });
  });

  router.post('/actions/:actionId/runs', async (req, res) => {
    res
      .status(201)
      .json(
        await runs.startAction(
          await caller(req),
          req.params.actionId,
          req.body.input,
        ),
      );
  });

  router.get('/entity-workflows', async (req, res) => {
    res.json({
      items: await runs.listEntityWorkflows(
        await caller(req),
        req.query.entityRef,
      ),
    });
  });

  router.post('/entity-workflows/runs', async (req, res) => {
    res
      .status(201)
      .json(
        await runs.startEntityWorkflow(
          await caller(req),
          req.body.entityRef,
          req.body.workflow,
        ),
      );
  });

  router.get('/runs', async (req, res) => {
    const { entityRef, all = false, limit = 50 } = req.query;
    res.json({
      items: await runs.listRuns(await caller(req), {
        entityRef: entityRef || undefined,
        all,
        limit,
      }),
    });
  });

  router.get('/runs/:runId', async (req, res) => {
    res.json(await runs.getRun(await caller(req), req.params.runId));
  });

  return router;
}
