import express from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createOpenApiRouter } from '../schema/openapi';
import { SecurityService } from './SecurityService';

/** A user ref in full; a bare name means a user in the default namespace. */
function userRefOf(value: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'user',
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    throw new InputError(
      `user '${value}' is not an entity ref: ${(error as Error).message}`,
    );
  }
}

function entityRefOf(value: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch (error) {
    throw new InputError(
      `entityRef '${value}' is not an entity ref: ${(error as Error).message}`,
    );
  }
}

const optional = <T, R>(value: T | undefined, parse: (v: T) => R) =>
  value === undefined || value === '' ? undefined : parse(value);

export interface RouterOptions {
  httpAuth: HttpAuthService;
  security: SecurityService;
}

/** HTTP only: the contract (src/schema/openapi.yaml) validates the shape, SecurityService decides. */
export async function createRouter({
  httpAuth,
  security,
}: RouterOptions): Promise<express.Router> {
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '1mb' })],
  });
  const userOrService = (req: express.Request<any, any, any, any>) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const user = (req: express.Request<any, any, any, any>) =>
    httpAuth.credentials(req, { allow: ['user'] });
  const service = (req: express.Request<any, any, any, any>) =>
    httpAuth.credentials(req, { allow: ['service'] });

  router.get('/access/me', async (req, res) => {
    res.json(
      await security.userAccess(
        await userOrService(req),
        optional(req.query.user, userRefOf),
      ),
    );
  });

  router.get('/access/contractor', async (req, res) => {
    res.json(
      await security.contractorAccess(
        await userOrService(req),
        req.query.resourceType,
        optional(req.query.user, userRefOf),
      ),
    );
  });

  router.post('/access/validate', async (req, res) => {
    res.json(
      await security.validate(
        await userOrService(req),
        req.body.action,
        entityRefOf(req.body.entityRef),
        optional(req.body.user, userRefOf),
      ),
    );
  });

  router.post('/access/validate-many', async (req, res) => {
    res.json({
      results: await security.validateMany(
        await userOrService(req),
        req.body.action,
        req.body.entityRefs.map(entityRefOf),
        optional(req.body.user, userRefOf),
      ),
    });
  });

  router.post('/approvals', async (req, res) => {
    const request = await security.requestApproval(await user(req), {
      ...req.body,
      entityRef: entityRefOf(req.body.entityRef),
    });
    res.status(201).json(request);
  });

  router.get('/approvals', async (req, res) => {
    const { view = 'inbox', status, limit = 50, cursor } = req.query;
    res.json(
      await security.listApprovals(await user(req), {
        view,
        statuses: status,
        limit,
        cursor,
      }),
    );
  });

  router.post('/approvals/consume', async (req, res) => {
    res.json(
      await security.consumeApproval(await service(req), {
        ...req.body,
        user: userRefOf(req.body.user),
        entityRef: entityRefOf(req.body.entityRef),
      }),
    );
  });

  router.post('/approvals/check', async (req, res) => {
    await service(req);
    const approved = await security.hasApproval({
      ...req.body,
      user: userRefOf(req.body.user),
      entityRef: entityRefOf(req.body.entityRef),
    });
    res.json({ approved });
  });

  router.post('/approvals/:id/decision', async (req, res) => {
    res.json(
      await security.decideApproval(await user(req), req.params.id, {
        approve: req.body.decision === 'approve',
        reason: req.body.reason,
      }),
    );
  });

  router.post('/grants', async (req, res) => {
    const { user: grantee, entityRef, ...input } = req.body;
    const { grant, created } = await security.recordGrant(await service(req), {
      ...input,
      user: userRefOf(grantee),
      entityRef: optional(entityRef, entityRefOf),
    });
    res.status(created ? 201 : 200).json(grant);
  });

  router.get('/grants', async (req, res) => {
    const { active = true, limit = 100 } = req.query;
    res.json({
      items: await security.listGrants(await userOrService(req), {
        user: optional(req.query.user, userRefOf),
        activeOnly: active,
        limit,
      }),
    });
  });

  router.post('/grants/:id/revoke', async (req, res) => {
    res.json(
      await security.revokeGrant(
        await user(req),
        req.params.id,
        req.body.reason,
      ),
    );
  });

  router.get('/audit', async (req, res) => {
    const { actor, action, entity, from, to, limit = 50, cursor } = req.query;
    res.json(
      await security.queryAudit(await user(req), {
        actorRef: optional(actor, userRefOf),
        action: action || undefined,
        entityRef: optional(entity, entityRefOf),
        from: optional(from, v => new Date(v)),
        to: optional(to, v => new Date(v)),
        limit,
        cursor: cursor || undefined,
      }),
    );
  });

  router.post('/audit', async (req, res) => {
    const { actorRef, entityRef, ...entry } = req.body;
    const record = await security.recordAudit(await service(req), {
      ...entry,
      actorRef: optional(actorRef, entityRefOf),
      entityRef: optional(entityRef, entityRefOf),
    });
    res.status(201).json(record);
  });

  return router;
}
