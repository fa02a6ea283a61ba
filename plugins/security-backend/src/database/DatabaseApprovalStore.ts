import {
  ApprovalRequest,
  ApprovalStatus,
  SensitiveAction,
} from '@internal/plugin-security-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  ApprovalFilter,
  ApprovalPage,
  ApprovalStore,
  NewApprovalRequest,
} from './ApprovalStore';
import { encodeCursor, pageAfter } from './keysetCursor';

const TABLE = 'security_approvals';
const APPROVERS = 'security_approval_approvers';

interface ApprovalRow {
  id: string;
  action: string;
  entity_ref: string;
  requested_by: string;
  justification: string;
  approvers: string;
  status: string;
  decided_by: string | null;
  decision_reason: string | null;
  created_at: Date | string;
  decided_at: Date | string | null;
  expires_at: Date | string;
  consumed_at: Date | string | null;
}

const iso = (value: Date | string) =>
  (value instanceof Date ? value : new Date(value)).toISOString();

function toRequest(row: ApprovalRow): ApprovalRequest {
  return {
    id: row.id,
    action: row.action as SensitiveAction,
    entityRef: row.entity_ref,
    requestedBy: row.requested_by,
    justification: row.justification,
    approvers: JSON.parse(row.approvers),
    status: row.status as ApprovalStatus,
    ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
    ...(row.decision_reason ? { decisionReason: row.decision_reason } : {}),
    createdAt: iso(row.created_at),
    ...(row.decided_at ? { decidedAt: iso(row.decided_at) } : {}),
    expiresAt: iso(row.expires_at),
    ...(row.consumed_at ? { consumedAt: iso(row.consumed_at) } : {}),
  };
}

export class DatabaseApprovalStore implements ApprovalStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(request: NewApprovalRequest): Promise<ApprovalRequest> {
    const row: ApprovalRow = {
      id: randomUUID(),
      action: request.action,
      entity_ref: request.entityRef,
      requested_by: request.requestedBy,
      justification: request.justification,
      approvers: JSON.stringify(request.approvers),
      status: 'pending',
      decided_by: null,
      decision_reason: null,
      created_at: this.now(),
      decided_at: null,
      expires_at: request.expiresAt,
      consumed_at: null,
    };
    await this.db.transaction(async tx => {
      await tx<ApprovalRow>(TABLE).insert(row);
      const approvers = [
        ...new Set(request.approvers.map(a => a.toLocaleLowerCase('en-US'))),
      ];
      if (approvers.length > 0) {
        await tx(APPROVERS).insert(
          approvers.map(ref => ({ approval_id: row.id, approver_ref: ref })),
        );
      }
    });
    return toRequest(row);
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    const row = await this.db<ApprovalRow>(TABLE).where({ id }).first();
    return row ? toRequest(row) : undefined;
  }

  async list(filter: ApprovalFilter): Promise<ApprovalPage> {
    const builder = pageAfter(
      this.db<ApprovalRow>(TABLE).select(`${TABLE}.*`),
      `${TABLE}.created_at`,
      `${TABLE}.id`,
      filter.cursor,
    ).limit(filter.limit + 1);
    if (filter.requestedBy) builder.where('requested_by', filter.requestedBy);
    if (filter.statuses?.length) builder.whereIn('status', filter.statuses);
    if (filter.approverAnyOf) {
      const mine = filter.approverAnyOf.map(r => r.toLocaleLowerCase('en-US'));
      builder.whereIn(
        `${TABLE}.id`,
        this.db(APPROVERS).select('approval_id').whereIn('approver_ref', mine),
      );
    }
    const rows: ApprovalRow[] = await builder;
    const items = rows.slice(0, filter.limit).map(toRequest);
    const last = items[items.length - 1];
    return {
      items,
      ...(rows.length > filter.limit && last
        ? { nextCursor: encodeCursor({ at: last.createdAt, id: last.id }) }
        : {}),
    };
  }

  async decide(
    id: string,
    decision: {
      status: 'approved' | 'denied';
      decidedBy: string;
      reason: string;
    },
  ): Promise<ApprovalRequest | undefined> {
    const now = this.now();
    const updated = await this.db<ApprovalRow>(TABLE)
      .where({ id, status: 'pending' })
      .andWhere('expires_at', '>', now)
      .update({
        status: decision.status,
        decided_by: decision.decidedBy,
        decision_reason: decision.reason,
        decided_at: now,
      });
    return updated === 1 ? this.get(id) : undefined;
  }

  async consume(grant: {
    requestedBy: string;
    action: SensitiveAction;
    entityRef: string;
  }): Promise<ApprovalRequest | undefined> {
    const now = this.now();
    const candidates = await this.db<ApprovalRow>(TABLE)
      .where({
        requested_by: grant.requestedBy,
        action: grant.action,
        entity_ref: grant.entityRef,
        status: 'approved',
      })
      .andWhere('expires_at', '>', now)
      .orderBy('decided_at', 'asc')
      .select('id');
    for (const { id } of candidates) {
      // Compare-and-set: of concurrent consumers, only one sees status still 'approved'.
      const updated = await this.db<ApprovalRow>(TABLE)
        .where({ id, status: 'approved' })
        .update({ status: 'consumed', consumed_at: now });
      if (updated === 1) {
        return this.get(id);
      }
    }
    return undefined;
  }

  async hasGrant(grant: {
    requestedBy: string;
    action: SensitiveAction;
    entityRef: string;
  }): Promise<boolean> {
    const row = await this.db<ApprovalRow>(TABLE)
      .where({
        requested_by: grant.requestedBy,
        action: grant.action,
        entity_ref: grant.entityRef,
        status: 'approved',
      })
      .andWhere('expires_at', '>', this.now())
      .first('id');
    return row !== undefined;
  }

  async expire(): Promise<number> {
    return this.db<ApprovalRow>(TABLE)
      .whereIn('status', ['pending', 'approved'])
      .andWhere('expires_at', '<=', this.now())
      .update({ status: 'expired' });
  }
}
