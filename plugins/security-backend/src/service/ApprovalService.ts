import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  ApprovalRequest,
  ApprovalStatus,
  SensitiveAction,
} from '@internal/plugin-security-common';
import { ApprovalStore } from '../database/ApprovalStore';
import { SecurityConfig } from '../config/readSecurityConfig';
import { AccessService } from './AccessService';
import { AuditTrail } from './AuditTrail';

/**
 * Approval requests for the actions the contractor policy lists in requiresApproval. Approvers are the
 * owners of the target entity (the admin groups when it has none). An approval is a one-time grant that
 * expires after security.approvals.ttlHours and is consumed by the action it allows.
 */
export class ApprovalService {
  constructor(
    private readonly store: ApprovalStore,
    private readonly access: AccessService,
    private readonly audit: AuditTrail,
    private readonly notifications: NotificationService,
    private readonly config: SecurityConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async request(
    userRef: string,
    input: {
      action: SensitiveAction;
      entityRef: string;
      justification: string;
    },
  ): Promise<ApprovalRequest> {
    const access = await this.access.validateUserPermissions(
      userRef,
      input.action,
      input.entityRef,
    );
    if (!access.allowed) {
      await this.audit.record({
        actorRef: userRef,
        action: 'approval.request',
        entityRef: input.entityRef,
        outcome: 'denied',
        details: { requestedAction: input.action, reason: access.reason },
        plugin: 'security',
      });
      throw new NotAllowedError(
        `You may not ${input.action} ${input.entityRef}: ${access.reason}`,
      );
    }
    if (!access.requiresApproval) {
      throw new ConflictError(
        `${input.action} on ${input.entityRef} needs no approval for you`,
      );
    }
    const approvers = access.approvers ?? this.access.adminGroups();
    const request = await this.store.create({
      ...input,
      requestedBy: userRef,
      approvers,
      expiresAt: new Date(
        this.now().getTime() + this.config.approvalTtlHours * 3_600_000,
      ),
    });
    await this.audit.record({
      actorRef: userRef,
      action: 'approval.request',
      entityRef: input.entityRef,
      outcome: 'succeeded',
      details: {
        approvalId: request.id,
        requestedAction: input.action,
        justification: input.justification,
      },
      plugin: 'security',
    });
    await this.notifications.send({
      recipients: { type: 'entity', entityRef: approvers },
      payload: {
        title: `Approval needed: ${input.action} on ${input.entityRef}`,
        description: `${userRef} asks: ${input.justification}`,
        link: `/security/approvals?id=${request.id}`,
        severity: 'high',
        topic: 'security-approval',
      },
    });
    return request;
  }

  async decide(
    userRef: string,
    id: string,
    decision: { approve: boolean; reason: string },
  ): Promise<ApprovalRequest> {
    const request = await this.store.get(id);
    if (!request) {
      throw new NotFoundError(`No approval request ${id}`);
    }
    const subject = await this.access.subjectOf(userRef);
    const mine = new Set(
      subject.ownershipRefs.map(r => r.toLocaleLowerCase('en-US')),
    );
    const isApprover = request.approvers.some(a =>
      mine.has(a.toLocaleLowerCase('en-US')),
    );
    let refusal: string | undefined;
    if (request.requestedBy === userRef) {
      refusal = 'nobody may decide their own request';
    } else if (!isApprover && subject.role !== 'admin') {
      refusal = `only ${request.approvers.join(
        ', ',
      )} or an admin may decide it`;
    }
    if (refusal) {
      await this.audit.record({
        actorRef: userRef,
        action: 'approval.decide',
        entityRef: request.entityRef,
        outcome: 'denied',
        details: { approvalId: id, reason: refusal },
        plugin: 'security',
      });
      throw new NotAllowedError(
        `You may not decide approval ${id}: ${refusal}`,
      );
    }
    const decided = await this.store.decide(id, {
      status: decision.approve ? 'approved' : 'denied',
      decidedBy: userRef,
      reason: decision.reason,
    });
    if (!decided) {
      // Still 'pending' here means it expired before anyone decided.
      const current = await this.store.get(id);
      const state: ApprovalStatus =
        !current || current.status === 'pending' ? 'expired' : current.status;
      throw new ConflictError(`Approval ${id} is already ${state}`);
    }
    await this.audit.record({
      actorRef: userRef,
      action: 'approval.decide',
      entityRef: request.entityRef,
      outcome: 'succeeded',
      details: {
        approvalId: id,
        decision: decided.status,
        reason: decision.reason,
        requestedAction: request.action,
      },
      plugin: 'security',
    });
    await this.notifications.send({
      recipients: { type: 'entity', entityRef: request.requestedBy },
      payload: {
        title: `${request.action} on ${request.entityRef} was ${decided.status}`,
        description: decision.reason,
        link: `/security/approvals?id=${id}`,
        topic: 'security-approval',
      },
    });
    return decided;
  }

  /** Used by the plugin performing the action, right before it acts. */
  async consume(
    serviceRef: string,
    grant: { requestedBy: string; action: SensitiveAction; entityRef: string },
  ): Promise<ApprovalRequest> {
    const consumed = await this.store.consume(grant);
    await this.audit.record({
      actorRef: grant.requestedBy,
      action: 'approval.consume',
      entityRef: grant.entityRef,
      outcome: consumed ? 'succeeded' : 'denied',
      details: {
        requestedAction: grant.action,
        consumer: serviceRef,
        ...(consumed ? { approvalId: consumed.id } : {}),
      },
      plugin: 'security',
    });
    if (!consumed) {
      throw new NotAllowedError(
        `${grant.requestedBy} has no approved, unexpired approval to ${grant.action} ${grant.entityRef}`,
      );
    }
    return consumed;
  }

  /** For reads that follow an action's approval rule: the grant stays for the action itself. */
  hasGrant(grant: {
    requestedBy: string;
    action: SensitiveAction;
    entityRef: string;
  }): Promise<boolean> {
    return this.store.hasGrant(grant);
  }

  list(filter: Parameters<ApprovalStore['list']>[0]) {
    return this.store.list(filter);
  }
}
