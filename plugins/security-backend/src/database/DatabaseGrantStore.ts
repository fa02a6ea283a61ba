import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  databaseNow,
  databaseNowPlus,
  timestampOf,
} from '@internal/backend-database';
import { AccessGrant, SensitiveAction } from '@internal/plugin-security-common';
import { GrantFilter, GrantStore, NewAccessGrant } from './GrantStore';

const TABLE = 'security_access_grants';

interface GrantRow {
  id: string;
  user_ref: string;
  action: string;
  entity_ref: string | null;
  reason: string;
  source: string;
  created_at: Date | string | number;
  expires_at: Date | string | number;
  revoked_at: Date | string | number | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

const iso = (value: Date | string | number) => timestampOf(value).toISOString();

function toGrant(row: GrantRow): AccessGrant {
  return {
    id: row.id,
    userRef: row.user_ref,
    action: row.action as SensitiveAction,
    ...(row.entity_ref ? { entityRef: row.entity_ref } : {}),
    reason: row.reason,
    source: row.source,
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
    ...(row.revoked_at ? { revokedAt: iso(row.revoked_at) } : {}),
    ...(row.revoked_by ? { revokedBy: row.revoked_by } : {}),
    ...(row.revoke_reason ? { revokeReason: row.revoke_reason } : {}),
  };
}

/** Grants in the security plugin's database; expiry is judged by the database's clock. */
export class DatabaseGrantStore implements GrantStore {
  constructor(private readonly knex: Knex) {}

  async record(
    grant: NewAccessGrant,
  ): Promise<{ grant: AccessGrant; created: boolean }> {
    const id = randomUUID();
    const inserted = await this.knex(TABLE)
      .insert({
        id,
        user_ref: grant.userRef,
        action: grant.action,
        entity_ref: grant.entityRef ?? null,
        reason: grant.reason,
        source: grant.source,
        created_at: databaseNow(this.knex),
        expires_at: databaseNowPlus(this.knex, grant.durationMs),
      })
      .onConflict('source')
      .ignore()
      .returning('id');
    const row = await this.knex<GrantRow>(TABLE)
      .where({ source: grant.source })
      .first();
    if (!row) {
      throw new Error(`The grant from ${grant.source} was not stored`);
    }
    return { grant: toGrant(row), created: inserted.length === 1 };
  }

  async get(id: string): Promise<AccessGrant | undefined> {
    const row = await this.knex<GrantRow>(TABLE).where({ id }).first();
    return row ? toGrant(row) : undefined;
  }

  async list(filter: GrantFilter): Promise<AccessGrant[]> {
    const query = this.knex<GrantRow>(TABLE)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit);
    if (filter.userRef) query.where({ user_ref: filter.userRef });
    if (filter.activeOnly) this.active(query);
    return (await query).map(toGrant);
  }

  async revoke(
    id: string,
    revocation: { revokedBy: string; reason: string },
  ): Promise<AccessGrant | undefined> {
    const updated = await this.active(this.knex(TABLE).where({ id })).update({
      revoked_at: databaseNow(this.knex),
      revoked_by: revocation.revokedBy,
      revoke_reason: revocation.reason,
    });
    return updated === 1 ? this.get(id) : undefined;
  }

  private active<Q extends Knex.QueryBuilder>(query: Q): Q {
    return query
      .whereNull('revoked_at')
      .where('expires_at', '>', databaseNow(this.knex)) as Q;
  }
}
