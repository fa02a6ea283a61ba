import { AuditOutcome, AuditRecord } from '@internal/plugin-security-common';

export interface NewAuditRecord {
  actorRef: string;
  actorIsContractor: boolean;
  action: string;
  entityRef?: string;
  outcome: AuditOutcome;
  /** Must already be redacted. */
  details: Record<string, unknown>;
  plugin: string;
}

export interface AuditQuery {
  actorRef?: string;
  action?: string;
  entityRef?: string;
  from?: Date;
  to?: Date;
  limit: number;
  /** Opaque cursor from the previous page. */
  cursor?: string;
}

export interface AuditPage {
  items: AuditRecord[];
  nextCursor?: string;
}

/** The append-only audit table: records are added and read; only retention removes them. */
export interface AuditStore {
  append(record: NewAuditRecord): Promise<AuditRecord>;
  query(query: AuditQuery): Promise<AuditPage>;
  /** Deletes records older than the cut-off (contractors' and everyone else's separately). */
  deleteOlderThan(options: {
    contractorsBefore: Date;
    othersBefore: Date;
  }): Promise<number>;
}
