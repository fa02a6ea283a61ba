import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import express from 'express';
import Router from 'express-promise-router';
import {
  ApprovalStatus,
  approvalDecidePermission,
  auditReadPermission,
  AuditOutcome,
  SENSITIVE_ACTION_KEYS,
} from '@internal/plugin-security-common';
import { ApprovalService } from './ApprovalService';
import { AuditTrail } from './AuditTrail';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const APPROVAL_STATUSES: ApprovalStatus[] = [
  'pending',
  'approved',
  'denied',
  'consumed',
  'expired',
];
const OUTCOMES: AuditOutcome[] = ['succeeded', 'denied', 'failed'];

function requiredText(
  value: unknown,
  field: string,
  maxLength: number,
): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(`${field} is required and must be text`);
  }
  if (value.length > maxLength) {
    throw new InputError(
      `${field} must be at most ${maxLength} characters, got ${value.length}`,
    );
  }
  return value.trim();
}

function optionalDate(value: unknown, field: string): Date | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) {
    throw new InputError(
      `${field} must be an ISO 8601 date-time, got '${value}'`,
    );
  }
  return date;
}

function limitParam(value: unknown, fallback: number, max: number): number {
  if (value === undefined) {
    return fallback;
  }
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new InputError(
      `limit must be a whole number from 1 to ${max}, got '${value}'`,
    );
  }
  return limit;
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
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  /**
   * Whose access to check: the calling user, another user when the caller is an admin, or the user a
   * calling backend plugin names.
   */
  async function targetUser(
    req: express.Request,
    requested: unknown,
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

  router.post('/approvals', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = req.body ?? {};
    const request = await approvals.request(
      credentials.principal.userEntityRef,
      {
        action: parseSensitiveAction(body.action, 'action'),
        entityRef: parseEntityRefParam(body.entityRef),
        justification: requiredText(body.justification, 'justification', 2000),
      },
    );
    res.status(201).json(request);
  });

  router.get('/approvals', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const userRef = credentials.principal.userEntityRef;
    const view = req.query.view ?? 'inbox';
    if (view !== 'inbox' && view !== 'mine') {
      throw new InputError(`view must be inbox or mine, got '${view}'`);
    }
    const statuses = req.query.status
      ? String(req.query.status)
          .split(',')
          .map(status => {
            if (!APPROVAL_STATUSES.includes(status as ApprovalStatus)) {
              throw new InputError(
                `status must be any of ${APPROVAL_STATUSES.join(
                  ', ',
                )}, got '${status}'`,
              );
            }
            return status as ApprovalStatus;
          })
      : undefined;
    const limit = limitParam(req.query.limit, 50, 200);
    const cursor = req.query.cursor ? String(req.query.cursor) : undefined;
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
    const body = req.body ?? {};
    const grant = await approvals.consume(credentials.principal.subject, {
      requestedBy: parseUserRef(body.user),
      action: parseSensitiveAction(body.action, 'action'),
      entityRef: parseEntityRefParam(body.entityRef),
    });
    res.json(grant);
  });

  router.post('/approvals/check', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const body = req.body ?? {};
    const approved = await approvals.hasGrant({
      requestedBy: parseUserRef(body.user),
      action: parseSensitiveAction(body.action, 'action'),
      entityRef: parseEntityRefParam(body.entityRef),
    });
    res.json({ approved });
  });

  router.post('/approvals/:id/decision', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    if (!UUID.test(req.params.id)) {
      throw new InputError(`'${req.params.id}' is not an approval id`);
    }
    const body = req.body ?? {};
    if (body.decision !== 'approve' && body.decision !== 'deny') {
      throw new InputError(
        `decision must be approve or deny, got ${JSON.stringify(
          body.decision,
        )}`,
      );
    }
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
          approve: body.decision === 'approve',
          reason: requiredText(body.reason, 'reason', 2000),
        },
      ),
    );
  });

  router.get('/audit', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const actorRef = credentials.principal.userEntityRef;
    const query = {
      actorRef: req.query.actor ? parseUserRef(req.query.actor) : undefined,
      action: req.query.action ? String(req.query.action) : undefined,
      entityRef: req.query.entity
        ? parseEntityRefParam(req.query.entity)
        : undefined,
      from: optionalDate(req.query.from, 'from'),
      to: optionalDate(req.query.to, 'to'),
      limit: limitParam(req.query.limit, 50, 500),
      cursor: req.query.cursor ? String(req.query.cursor) : undefined,
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
    const body = req.body ?? {};
    if (!OUTCOMES.includes(body.outcome)) {
      throw new InputError(
        `outcome must be one of ${OUTCOMES.join(', ')}, got ${JSON.stringify(
          body.outcome,
        )}`,
      );
    }
    if (
      body.details !== undefined &&
      (typeof body.details !== 'object' ||
        body.details === null ||
        Array.isArray(body.details))
    ) {
      throw new InputError('details must be an object');
    }
    const record = await audit.record({
      actorRef:
        body.actorRef === undefined
          ? credentials.principal.subject
          : parseEntityRefParam(body.actorRef),
      action: requiredText(body.action, 'action', 200),
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
