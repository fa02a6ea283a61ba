import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import express from 'express';
import {
  approvalDecidePermission,
  auditReadPermission,
  SENSITIVE_ACTION_KEYS,
} from '@internal/plugin-security-common';
import { createOpenApiRouter } from '../schema/openapi';
import { ApprovalService } from './ApprovalService';
import { AuditTrail } from './AuditTrail';
import { AccessService } from './AccessService';

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
  permissions: PermissionsService;
  access: AccessService;
  approvals: ApprovalService;
  audit: AuditTrail;
}

export async function createRouter({
  httpAuth,
  permissions,
  access,
  approvals,
  audit,
}: RouterOptions): Promise<express.Router> {
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '1mb' })],
  });

  /**
   * Whose access to check: the calling user, another user when the caller is an admin, or the user a
   * calling backend plugin names.
   */
  async function targetUser(
    req: express.Request,
    requested: string | undefined,
  ): Promise<string> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (credentials.principal.type === 'service') {
      return parseUserRef(requested);
    }
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
    // Another user's access: for admins, and for backend plugins acting for that user.
    const userRef = await targetUser(req, req.query.user);
    const subject = await access.subjectOf(userRef);
    const actions = Object.fromEntries(
      SENSITIVE_ACTION_KEYS.map(
        action => [action, access.accessOf(subject, action)] as const,
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
    res.json(
      await access.checkContractorAccess(userRef, req.query.resourceType),
    );
  });

  router.post('/access/validate', async (req, res) => {
    const userRef = await targetUser(req, req.body.user);
    res.json(
      await access.validateUserPermissions(
        userRef,
        req.body.action,
        parseEntityRefParam(req.body.entityRef),
      ),
    );
  });

  router.post('/approvals', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const request = await approvals.request(
      credentials.principal.userEntityRef,
      {
        action: req.body.action,
        entityRef: parseEntityRefParam(req.body.entityRef),
        justification: req.body.justification.trim(),
      },
    );
    res.status(201).json(request);
  });

  router.get('/approvals', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const userRef = credentials.principal.userEntityRef;
    const { view = 'inbox', status: statuses, limit = 50, cursor } = req.query;
    const page =
      view === 'mine'
        ? await approvals.list({
            requestedBy: userRef,
            statuses,
            limit,
            cursor,
          })
        : await approvals.list({
            approverAnyOf: (await access.subjectOf(userRef)).ownershipRefs,
            statuses,
            limit,
            cursor,
          });
    res.json(page);
  });

  router.post('/approvals/consume', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const grant = await approvals.consume(credentials.principal.subject, {
      requestedBy: parseUserRef(req.body.user),
      action: req.body.action,
      entityRef: parseEntityRefParam(req.body.entityRef),
    });
    res.json(grant);
  });

  router.post('/approvals/check', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const approved = await approvals.hasGrant({
      requestedBy: parseUserRef(req.body.user),
      action: req.body.action,
      entityRef: parseEntityRefParam(req.body.entityRef),
    });
    res.json({ approved });
  });

  router.post('/approvals/:id/decision', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize(
      [{ permission: approvalDecidePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      await audit.record({
        actorRef: credentials.principal.userEntityRef,
        action: 'approval.decide',
        outcome: 'denied',
        details: {
          approvalId: req.params.id,
          reason: 'no approval.decide permission',
        },
        plugin: 'security',
      });
      throw new NotAllowedError('You may not decide approvals');
    }
    res.json(
      await approvals.decide(
        credentials.principal.userEntityRef,
        req.params.id,
        {
          approve: req.body.decision === 'approve',
          reason: req.body.reason.trim(),
        },
      ),
    );
  });

  router.get('/audit', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const actorRef = credentials.principal.userEntityRef;
    const query = {
      actorRef: req.query.actor ? parseUserRef(req.query.actor) : undefined,
      action: req.query.action || undefined,
      entityRef: req.query.entity
        ? parseEntityRefParam(req.query.entity)
        : undefined,
      from: req.query.from ? new Date(req.query.from) : undefined,
      to: req.query.to ? new Date(req.query.to) : undefined,
      limit: req.query.limit ?? 50,
      cursor: req.query.cursor || undefined,
    };
    const [decision] = await permissions.authorize(
      [{ permission: auditReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      await audit.record({
        actorRef,
        action: 'audit.read',
        outcome: 'denied',
        details: {},
        plugin: 'security',
      });
      throw new NotAllowedError('Only admins may read the audit trail');
    }
    const page = await audit.query(query);
    await audit.record({
      actorRef,
      action: 'audit.read',
      outcome: 'succeeded',
      details: {
        filters: {
          ...query,
          from: query.from?.toISOString(),
          to: query.to?.toISOString(),
        },
      },
      plugin: 'security',
    });
    res.json(page);
  });

  router.post('/audit', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const body = req.body;
    const record = await audit.record({
      actorRef:
        body.actorRef === undefined
          ? credentials.principal.subject
          : parseEntityRefParam(body.actorRef),
      action: body.action.trim(),
      entityRef:
        body.entityRef === undefined
          ? undefined
          : parseEntityRefParam(body.entityRef),
      outcome: body.outcome,
      details: body.details,
      plugin: credentials.principal.subject.replace(/^plugin:/, ''),
    });
    res.status(201).json(record);
  });

  return router;
}
