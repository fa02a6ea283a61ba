import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import express from 'express';
import Router from 'express-promise-router';
import { SENSITIVE_ACTION_KEYS } from '@internal/plugin-security-common';
import { AccessService, parseSensitiveAction } from './AccessService';

function parseUserRef(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(
      'user must be a user entity ref such as user:default/jane-doe',
    );
  }
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

function parseEntityRefParam(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(
      'entityRef is required, e.g. component:default/invoice-service',
    );
  }
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch (error) {
    throw new InputError(
      `entityRef '${value}' is not an entity ref: ${(error as Error).message}`,
    );
  }
}

export interface RouterOptions {
  httpAuth: HttpAuthService;
  access: AccessService;
}

export async function createRouter({
  httpAuth,
  access,
}: RouterOptions): Promise<express.Router> {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  /** The caller, or another user when the caller is an admin. */
  async function targetUser(
    req: express.Request,
    requested: unknown,
  ): Promise<string> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const caller = credentials.principal.userEntityRef;
    if (requested === undefined) {
      return caller;
    }
    const user = parseUserRef(requested);
    if (user !== caller && (await access.subjectOf(caller)).role !== 'admin') {
      throw new NotAllowedError(
        'Only admins may check the access of other users',
      );
    }
    return user;
  }

  router.get('/access/me', async (req, res) => {
    const userRef = await targetUser(req, undefined);
    const subject = await access.subjectOf(userRef);
    const actions = Object.fromEntries(
      await Promise.all(
        SENSITIVE_ACTION_KEYS.map(
          async action =>
            [
              action,
              await access.checkContractorAccess(userRef, action),
            ] as const,
        ),
      ),
    );
    res.json({
      userRef,
      role: subject.role,
      groups: subject.ownershipRefs.filter(r => r !== userRef),
      actions,
    });
  });

  router.get('/access/contractor', async (req, res) => {
    const userRef = await targetUser(req, req.query.user);
    const action = parseSensitiveAction(req.query.resourceType, 'resourceType');
    res.json(await access.checkContractorAccess(userRef, action));
  });

  router.post('/access/validate', async (req, res) => {
    const body = req.body ?? {};
    const userRef = await targetUser(req, body.user);
    const action = parseSensitiveAction(body.action, 'action');
    const entityRef = parseEntityRefParam(body.entityRef);
    res.json(await access.validateUserPermissions(userRef, action, entityRef));
  });

  return router;
}
