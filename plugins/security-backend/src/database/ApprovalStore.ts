import {
  ApprovalRequest,
  ApprovalStatus,
  SensitiveAction,
} from '@internal/plugin-security-common';

export interface NewApprovalRequest {
  action: SensitiveAction;
  entityRef: string;
  requestedBy: string;
  justification: string;
  approvers: string[];
  expiresAt: Date;
}

export interface ApprovalFilter {
  requestedBy?: string;
  /** Requests any of these refs may decide (a user's ownership refs). */
  approverAnyOf?: string[];
  statuses?: ApprovalStatus[];
  limit: number;
  /** Opaque cursor from the previous page. */
  cursor?: string;
}

export interface ApprovalPage {
  items: ApprovalRequest[];
  nextCursor?: string;
}

export interface ApprovalStore {
  create(request: NewApprovalRequest): Promise<ApprovalRequest>;
  get(id: string): Promise<ApprovalRequest | undefined>;
  /** Newest first, a page at a time. */
  list(filter: ApprovalFilter): Promise<ApprovalPage>;
  /** Approves or denies a pending, unexpired request; undefined when it was not pending any more. */
  decide(
    id: string,
    decision: {
      status: 'approved' | 'denied';
      decidedBy: string;
      reason: string;
    },
  ): Promise<ApprovalRequest | undefined>;
  /**
   * Atomically turns one approved, unexpired grant for exactly this requester, action and entity into
   * 'consumed'. Of concurrent callers, exactly one gets the grant.
   */
  consume(grant: {
    requestedBy: string;
    action: SensitiveAction;
    entityRef: string;
  }): Promise<ApprovalRequest | undefined>;
  /** Whether an approved, unexpired grant for exactly this requester, action and entity exists. */
  hasGrant(grant: {
    requestedBy: string;
    action: SensitiveAction;
    entityRef: string;
  }): Promise<boolean>;
  /** Marks pending and approved requests past their expiry as expired. */
  expire(): Promise<number>;
}
