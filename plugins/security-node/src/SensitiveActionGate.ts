import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  AccessResult,
  SensitiveAction,
} from '@internal/plugin-security-common';
import { SecurityAccessService, SecurityAuditService } from './services';

export interface SensitiveActionRequest {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  /** The plugin's own permission; whichever permission policy runs decides it. */
  permission: ResourcePermission<'catalog-entity'>;
  /** The security policy's name for the action: its reasons, contractor rules and approvals. */
  action: SensitiveAction;
  entityRef: string;
  /** Added to every audit record of the attempt, e.g. the application a sync is for. */
  auditDetails?: Record<string, unknown>;
}

/**
 * The checks every sensitive action of a plugin makes, in one place: the plugin's permission and the
 * security policy must both allow it, an approval the policy asks for is used up once, and every refusal
 * is audited with its reason before the caller gets a 403 that says what to do.
 */
export class SensitiveActionGate {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly access: SecurityAccessService,
    private readonly audit: SecurityAuditService,
  ) {}

  /** Audits a refusal of the action. */
  async denied(request: SensitiveActionRequest, reason: string) {
    await this.audit.record({
      actorRef: request.credentials.principal.userEntityRef,
      action: request.action,
      entityRef: request.entityRef,
      outcome: 'denied',
      details: { ...request.auditDetails, reason },
    });
  }

  /**
   * The security policy's decision (with approvers when an approval is needed), once both it and the
   * permission allow the action; otherwise a 403 `${refusal}: ${reason}`, audited.
   */
  async require(
    request: SensitiveActionRequest,
    refusal: string,
  ): Promise<AccessResult> {
    const { credentials, permission, action, entityRef } = request;
    const [decision] = await this.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    const access = await this.access.validate(
      credentials.principal.userEntityRef,
      action,
      entityRef,
    );
    if (decision.result !== AuthorizeResult.ALLOW || !access.allowed) {
      const reason =
        (!access.allowed && access.reason) ||
        `the permission policy does not grant ${permission.name} on ${entityRef}`;
      await this.denied(request, reason);
      throw new NotAllowedError(`${refusal}: ${reason}`);
    }
    return access;
  }

  /**
   * Uses up the approved grant the action needs; without one, the refusal is audited and the 403 says who
   * approves. A security backend outage stays a 503.
   */
  async consumeApproval(
    request: SensitiveActionRequest,
    decision: AccessResult,
    refusal: { reason: string; message: (approvers: string) => string },
  ) {
    try {
      await this.access.consumeApproval(
        request.credentials.principal.userEntityRef,
        request.action,
        request.entityRef,
      );
    } catch (error) {
      if (error instanceof ServiceUnavailableError) throw error;
      await this.denied(request, refusal.reason);
      throw new NotAllowedError(
        refusal.message(decision.approvers?.join(', ') || 'its owners'),
      );
    }
  }
}
