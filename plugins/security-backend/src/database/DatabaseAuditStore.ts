import { AuditRecord } from '@internal/plugin-security-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  AuditPage,
  AuditQuery,
  AuditStore,
  NewAuditRecord,
} from './AuditStore';
import { encodeCursor, pageAfter } from './keysetCursor';

const TABLE = 'security_audit_events';

interface AuditRow {
  id: string;
  occurred_at: Date | string;
  actor_ref: string;
  actor_is_contractor: boolean | number;
  action: string;
  entity_ref: string | null;
  outcome: string;
  plugin: string;
  details: string;
}

function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    occurredAt: toIso(row.occurred_at),
    actorRef: row.actor_ref,
    action: row.action,
    ...(row.entity_ref ? { entityRef: row.entity_ref } : {}),
    outcome: row.outcome as AuditRecord['outcome'],
    details: JSON.parse(row.details),
    plugin: row.plugin,
  };
}

export class DatabaseAuditStore implements AuditStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async append(record: NewAuditRecord): Promise<AuditRecord> {
    const row: AuditRow = {
      id: randomUUID(),
      occurred_at: this.now(),
      actor_ref: record.actorRef,
      actor_is_contractor: record.actorIsContractor,
      action: record.action,
      entity_ref: record.entityRef ?? null,
      outcome: record.outcome,
      plugin: record.plugin,
      details: JSON.stringify(record.details),
    };
    await this.db<AuditRow>(TABLE).insert(row);
    return toRecord(row);
  }

  async query(query: AuditQuery): Promise<AuditPage> {
    // Newest first, keyset-paginated on (occurred_at, id) so pages stay stable while records arrive.
    const builder = pageAfter(
      this.db<AuditRow>(TABLE),
      'occurred_at',
      'id',
      query.cursor,
    ).limit(query.limit + 1);
    if (query.actorRef) builder.where('actor_ref', query.actorRef);
    if (query.action) builder.where('action', query.action);
    if (query.entityRef) builder.where('entity_ref', query.entityRef);
    if (query.from) builder.where('occurred_at', '>=', query.from);
    if (query.to) builder.where('occurred_at', '<', query.to);
    const rows = await builder;
    const items = rows.slice(0, query.limit).map(toRecord);
    const last = items[items.length - 1];
    return {
      items,
      ...(rows.length > query.limit && last
        ? {
            nextCursor: encodeCursor({ at: last.occurredAt, id: last.id }),
          }
        : {}),
    };
  }

  async deleteOlderThan(options: {
    contractorsBefore: Date;
    othersBefore: Date;
  }): Promise<number> {
    return this.db.transaction(async tx => {
      if (tx.client.config.client === 'pg') {
        // The append-only trigger lets only this transaction's deletions through.
        await tx.raw(
          "SELECT set_config('security.audit_retention', 'on', true)",
        );
      }
      const contractors = await tx(TABLE)
        .where('actor_is_contractor', true)
        .andWhere('occurred_at', '<', options.contractorsBefore)
        .delete();
      const others = await tx(TABLE)
        .where('actor_is_contractor', false)
        .andWhere('occurred_at', '<', options.othersBefore)
        .delete();
      return contractors + others;
    });
  }
}
