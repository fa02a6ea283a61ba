import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  AccessResult,
  ApprovalPage,
  ApprovalRequest,
  ApprovalStatus,
  approvalDecidePermission,
  AuditOutcome,
  AuditPage,
  AuditRecord,
  auditReadPermission,
  grantRevokePermission,
  AccessGrant,
  SENSITIVE_ACTION_KEYS,
  SensitiveAction,
  UserAccess,
} from '@internal/plugin-security-common';
import { AuditQuery } from '../database/AuditStore';
import { AccessService } from './AccessService';
import { ApprovalService } from './ApprovalService';
import { AuditTrail } from './AuditTrail';
import { GrantInput, GrantService } from './GrantService';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;
type ServiceCredentials = BackstageCredentials<BackstageServicePrincipal>;
type Caller = BackstageCredentials<
  BackstageUserPrincipal | BackstageServicePrincipal
>;

/**
 * Whose catalog view an access check reads entities with: a user's own (what they may not read stays
 * unknown to them), none for a backend plugin (the security plugin's own; the plugin filters its lists).
 */
function readerOf(caller: Caller): UserCredentials | undefined {
  return caller.principal.type === 'user'
    ? (caller as UserCredentials)
    : undefined;
}

/** A grant a backend plugin asks about for one of its users. */
export interface GrantQuery {
  user: string;
  action: SensitiveAction;
  entityRef: string;
}

/**
 * What the security plugin's routes do, for a caller: who may ask about whose access, who may decide
 * approvals and read the audit trail (each refusal audited), on top of the access, approval and audit
 * services. Entity refs arrive already normalised.
 */
export class SecurityService {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly access: AccessService,
    private readonly approvals: ApprovalService,
    private readonly audit: AuditTrail,
    private readonly grants: GrantService,
  ) {}

  /**
   * Whose access to check: the calling user, another user when the caller is an admin, or the user a
   * calling backend plugin names.
   */
  async targetUser(caller: Caller, requested?: string): Promise<string> {
    if (caller.principal.type === 'service') {
      if (!requested) {
        throw new InputError(
          'user is required when a backend plugin asks: the user it acts for, e.g. user:default/jane-doe',
        );
      }
      return requested;
    }
    const self = caller.principal.userEntityRef;
    if (requested === undefined || requested === self) {
      return self;
    }
    if ((await this.access.subjectOf(self)).role !== 'admin') {
      throw new NotAllowedError(
        'Only admins may check the access of other users',
      );
    }
    return requested;
  }

  async userAccess(caller: Caller, user?: string): Promise<UserAccess> {
    const userRef = await this.targetUser(caller, user);
    const subject = await this.access.subjectOf(userRef);
    return {
      userRef,
      role: subject.role,
      groups: subject.ownershipRefs.filter(r => r !== userRef),
      actions: Object.fromEntries(
        SENSITIVE_ACTION_KEYS.map(action => [
          action,
          this.access.accessOf(subject, action),
        ]),
      ),
    };
  }

  async contractorAccess(
    caller: Caller,
    action: SensitiveAction,
    user?: string,
  ): Promise<AccessResult> {
    return this.access.checkContractorAccess(
      await this.targetUser(caller, user),
      action,
    );
  }

  async validate(
    caller: Caller,
    action: SensitiveAction,
    entityRef: string,
    user?: string,
  ): Promise<AccessResult> {
    return this.access.validateUserPermissions(
      await this.targetUser(caller, user),
      action,
      entityRef,
      readerOf(caller),
    );
  }

  async validateMany(
    caller: Caller,
    action: SensitiveAction,
    entityRefs: string[],
    user?: string,
  ): Promise<AccessResult[]> {
    return this.access.validateUserPermissionsOnMany(
      await this.targetUser(caller, user),
      action,
      entityRefs,
      readerOf(caller),
    );
  }

  requestApproval(
    caller: UserCredentials,
    input: {
      action: SensitiveAction;
      entityRef: string;
      justification: string;
    },
  ): Promise<ApprovalRequest> {
    return this.approvals.request(caller.principal.userEntityRef, {
      ...input,
      justification: input.justification.trim(),
    });
  }

  /** The caller's inbox (requests they may decide) or their own requests, newest first. */
  async listApprovals(
    caller: UserCredentials,
    query: {
      view: 'inbox' | 'mine';
      statuses?: ApprovalStatus[];
      limit: number;
      cursor?: string;
    },
  ): Promise<ApprovalPage> {
    const userRef = caller.principal.userEntityRef;
    const { statuses, limit, cursor } = query;
    return query.view === 'mine'
      ? this.approvals.list({ requestedBy: userRef, statuses, limit, cursor })
      : this.approvals.list({
          approverAnyOf: (await this.access.subjectOf(userRef)).ownershipRefs,
          statuses,
          limit,
          cursor,
        });
  }

  consumeApproval(
    caller: ServiceCredentials,
    grant: GrantQuery,
  ): Promise<ApprovalRequest> {
    return this.approvals.consume(caller.principal.subject, {
      requestedBy: grant.user,
      action: grant.action,
      entityRef: grant.entityRef,
    });
  }

  hasApproval(grant: GrantQuery): Promise<boolean> {
    return this.approvals.hasGrant({
      requestedBy: grant.user,
      action: grant.action,
      entityRef: grant.entityRef,
    });
  }

  async decideApproval(
    caller: UserCredentials,
    id: string,
    decision: { approve: boolean; reason: string },
  ): Promise<ApprovalRequest> {
    await this.requirePermission(
      caller,
      approvalDecidePermission,
      {
        action: 'approval.decide',
        details: {
          approvalId: id,
          reason: 'no approval.decide permission',
        },
      },
      'You may not decide approvals',
    );
    return this.approvals.decide(caller.principal.userEntityRef, id, {
      ...decision,
      reason: decision.reason.trim(),
    });
  }

  /** The audit trail for admins; reading it is itself audited, with the filters used. */
  async queryAudit(
    caller: UserCredentials,
    query: AuditQuery,
  ): Promise<AuditPage> {
    await this.requirePermission(
      caller,
      auditReadPermission,
      { action: 'audit.read', details: {} },
      'Only admins may read the audit trail',
    );
    const page = await this.audit.query(query);
    await this.audit.record({
      actorRef: caller.principal.userEntityRef,
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
    return page;
  }

  /** A grant a backend plugin records for a user (security.grants.fromPlugins decides which plugins may). */
  recordGrant(
    caller: ServiceCredentials,
    input: GrantInput,
  ): Promise<{ grant: AccessGrant; created: boolean }> {
    const { subject } = caller.principal;
    if (!subject.startsWith('plugin:')) {
      throw new NotAllowedError(
        `Only backend plugins record grants, not ${subject}`,
      );
    }
    return this.grants.record(subject.slice('plugin:'.length), input);
  }

  /** The caller's own grants; a named user's (or everyone's) for admins; the named user's for a backend plugin. */
  async listGrants(
    caller: Caller,
    query: { user?: string; activeOnly: boolean; limit: number },
  ): Promise<AccessGrant[]> {
    let userRef: string | undefined;
    if (caller.principal.type === 'user' && query.user === undefined) {
      const self = caller.principal.userEntityRef;
      const isAdmin = (await this.access.subjectOf(self)).role === 'admin';
      userRef = isAdmin ? undefined : self;
    } else {
      userRef = await this.targetUser(caller, query.user);
    }
    return this.grants.list({ ...query, userRef });
  }

  async revokeGrant(
    caller: UserCredentials,
    id: string,
    reason: string,
  ): Promise<AccessGrant> {
    await this.requirePermission(
      caller,
      grantRevokePermission,
      {
        action: 'security.grant.revoke',
        details: { grant: id, reason: 'no security.grant.revoke permission' },
      },
      'Only admins may revoke grants',
    );
    return this.grants.revoke(caller.principal.userEntityRef, id, reason);
  }

  /** What a backend plugin did for a user; the plugin is the caller, the actor defaults to it. */
  recordAudit(
    caller: ServiceCredentials,
    entry: {
      actorRef?: string;
      action: string;
      entityRef?: string;
      outcome: AuditOutcome;
      details?: Record<string, unknown>;
    },
  ): Promise<AuditRecord> {
    return this.audit.record({
      actorRef: entry.actorRef ?? caller.principal.subject,
      action: entry.action.trim(),
      entityRef: entry.entityRef,
      outcome: entry.outcome,
      details: entry.details,
      plugin: caller.principal.subject.replace(/^plugin:/, ''),
    });
  }

  private async requirePermission(
    caller: UserCredentials,
    permission: BasicPermission,
    denial: { action: string; details: Record<string, unknown> },
    message: string,
  ) {
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials: caller,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      await this.audit.record({
        actorRef: caller.principal.userEntityRef,
        action: denial.action,
        outcome: 'denied',
        details: denial.details,
        plugin: 'security',
      });
      throw new NotAllowedError(message);
    }
  }
}
