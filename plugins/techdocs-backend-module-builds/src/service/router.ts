import express from 'express';
import Router from 'express-promise-router';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DocsBuildStore } from '../database/DocsBuildStore';

const MAX_NAME_LENGTH = 253;
/** What a namespace, kind or name may hold: no separators of an entity ref. */
const NAME_PART = /^[\w.-]+$/;

export interface RouterOptions {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  store: DocsBuildStore;
}

/** GET /build-status/:namespace/:kind/:name: how the entity's docs last built, for whoever may read it. */
export function createBuildStatusRouter({
  httpAuth,
  catalog,
  store,
}: RouterOptions): express.Router {
  const router = Router();
  router.get('/build-status/:namespace/:kind/:name', async (req, res) => {
    const { namespace, kind, name } = req.params;
    if (
      [namespace, kind, name].some(
        part => part.length > MAX_NAME_LENGTH || !NAME_PART.test(part),
      )
    ) {
      throw new InputError(
        `An entity's namespace, kind and name are letters, digits, "-", "_" and "." only, at most ${MAX_NAME_LENGTH} characters each`,
      );
    }
    const entityRef = stringifyEntityRef({ namespace, kind, name });
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // Unreadable and missing look the same: a restricted entity's build errors stay unknown.
    if (!(await catalog.getEntityByRef(entityRef, { credentials }))) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    res.json(
      (await store.get(entityRef)) ?? {
        entityRef,
        status: 'pending',
        error:
          'The portal has not built or checked these docs yet; it does within a minute of starting',
      },
    );
  });
  return router;
}
