import express from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createOpenApiRouter } from '../schema/openapi';
import { CostService } from './CostService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  /** The authorizing service: every route reads as the signed-in caller. */
  costs: CostService;
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

/** The validator checks the value; a query string may still arrive as text. */
const daysOf = (value: unknown) =>
  value === undefined ? undefined : Number(value);

/** HTTP only: the contract (src/schema/openapi.yaml) validates the shape, the service does the rest. */
export async function createRouter({
  httpAuth,
  costs,
}: RouterOptions): Promise<express.Router> {
  const router = await createOpenApiRouter();
  const caller = (req: express.Request<any, any, any, any>) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get('/costs', async (req, res) => {
    res.json(
      await costs.costs(
        await caller(req),
        entityRefOf(req.query.entityRef),
        daysOf(req.query.days),
      ),
    );
  });
  router.get('/trends', async (req, res) => {
    res.json(
      await costs.trends(await caller(req), entityRefOf(req.query.entityRef)),
    );
  });
  router.get('/benchmarks', async (req, res) => {
    res.json(
      await costs.benchmark(
        await caller(req),
        entityRefOf(req.query.entityRef),
      ),
    );
  });
  router.get('/recommendations', async (req, res) => {
    res.json(
      await costs.rightSizing(
        await caller(req),
        entityRefOf(req.query.entityRef),
      ),
    );
  });
  router.get('/overview', async (req, res) => {
    const { offset, limit, sort, order, q } = req.query;
    res.json(
      await costs.overview(await caller(req), daysOf(req.query.days), {
        offset: offset === undefined ? undefined : Number(offset),
        limit: limit === undefined ? undefined : Number(limit),
        sort,
        order,
        q,
      }),
    );
  });
  router.post('/refresh', async (req, res) => {
    res.json(
      await costs.refresh(await caller(req), entityRefOf(req.body.entityRef)),
    );
  });
  return router;
}
