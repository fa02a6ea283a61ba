import { Knex } from 'knex';
import { Signal } from '@internal/plugin-service-health-common';
import { Snapshot, SnapshotStore } from './SnapshotStore';

const TABLE = 'service_health_snapshots';

export class DatabaseSnapshotStore implements SnapshotStore {
  constructor(private readonly knex: Knex) {}

  async get<T>(entityRef: string, signal: Signal) {
    const row = await this.knex(TABLE)
      .where({ entity_ref: entityRef, signal })
      .whereNotNull('payload')
      .first();
    if (!row) return undefined;
    const snapshot: Snapshot<T> = {
      payload: JSON.parse(row.payload),
      fetchedAt: new Date(row.fetched_at),
    };
    return snapshot;
  }

  async save<T>(entityRef: string, signal: Signal, snapshot: Snapshot<T>) {
    await this.knex(TABLE)
      .insert({
        entity_ref: entityRef,
        signal,
        payload: JSON.stringify(snapshot.payload),
        fetched_at: snapshot.fetchedAt,
        failing_since: null,
        problem: null,
      })
      .onConflict(['entity_ref', 'signal'])
      .merge(['payload', 'fetched_at', 'failing_since', 'problem']);
  }

  async markFailing(entityRef: string, signal: Signal, problem: string) {
    const now = new Date();
    const updated = await this.knex(TABLE)
      .where({ entity_ref: entityRef, signal })
      .whereNull('failing_since')
      .update({ failing_since: now, problem });
    if (updated > 0) return true;
    const existing = await this.knex(TABLE)
      .where({ entity_ref: entityRef, signal })
      .first();
    if (existing) {
      await this.knex(TABLE)
        .where({ entity_ref: entityRef, signal })
        .update({ problem });
      return false;
    }
    await this.knex(TABLE)
      .insert({ entity_ref: entityRef, signal, failing_since: now, problem })
      .onConflict(['entity_ref', 'signal'])
      .ignore();
    return true;
  }
}
