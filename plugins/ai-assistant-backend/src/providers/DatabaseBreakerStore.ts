import { Knex } from 'knex';
import {
  databaseNow,
  databaseNowPlus,
  isPostgres,
  timestampOf,
} from '@internal/backend-database';
import { BreakerPolicy, BreakerPosition, positionOf } from './breaker';

/** What a request may do with a provider now. */
export type BreakerPass = 'closed' | 'trial' | 'open';

/**
 * Each provider's breaker in the database, so every replica skips a failing provider and only one of them
 * tries it again when it may have recovered. Times are the database's; every change is one conditional
 * UPDATE, so two replicas never both take the trial nor lose a failure.
 */
export class DatabaseBreakerStore {
  constructor(
    private readonly knex: Knex,
    private readonly policy: BreakerPolicy,
  ) {}

  async ensure(providerIds: string[]) {
    for (const providerId of providerIds) {
      await this.knex('ai_provider_breakers')
        .insert({
          provider_id: providerId,
          failures: 0,
          open_until: null,
          updated_at: databaseNow(this.knex),
        })
        .onConflict('provider_id')
        .ignore();
    }
  }

  private async read(providerId: string) {
    const now = isPostgres(this.knex)
      ? this.knex.raw('now() AS db_now')
      : this.knex.raw('? AS db_now', [Date.now()]);
    const row = await this.knex('ai_provider_breakers')
      .where({ provider_id: providerId })
      .first('failures', 'open_until', now);
    if (!row) return undefined;
    return {
      failures: Number(row.failures),
      openUntil: row.open_until === null ? null : row.open_until,
      now: timestampOf(row.db_now).getTime(),
    };
  }

  /** The breaker's position for a status page. */
  async position(providerId: string): Promise<{
    position: BreakerPosition;
    failures: number;
    openUntil?: Date;
  }> {
    const row = await this.read(providerId);
    if (!row) return { position: 'closed', failures: 0 };
    const openUntil =
      row.openUntil === null ? null : timestampOf(row.openUntil).getTime();
    return {
      position: positionOf({ failures: row.failures, openUntil }, row.now),
      failures: row.failures,
      ...(openUntil === null ? {} : { openUntil: new Date(openUntil) }),
    };
  }

  /** Whether a request may use the provider: closed, its one trial taken by this caller, or open. */
  async pass(providerId: string): Promise<BreakerPass> {
    const row = await this.read(providerId);
    if (!row || row.openUntil === null) return 'closed';
    const openUntil = timestampOf(row.openUntil).getTime();
    if (row.now < openUntil) return 'open';
    // Half-open: the one replica whose UPDATE still finds it half-open takes the trial (a second UPDATE
    // waits for the first's row lock, then sees the new open_until in the future).
    const claimed = await this.knex('ai_provider_breakers')
      .where({ provider_id: providerId })
      .whereNotNull('open_until')
      .where('open_until', '<=', databaseNow(this.knex))
      .update({
        open_until: databaseNowPlus(this.knex, this.policy.trialMs),
        updated_at: databaseNow(this.knex),
      });
    return claimed === 1 ? 'trial' : 'open';
  }

  async record(providerId: string, outcome: 'success' | 'failure') {
    const update =
      outcome === 'success'
        ? { failures: 0, open_until: null }
        : {
            failures: this.knex.raw('failures + 1'),
            open_until: this.knex.raw(
              'CASE WHEN failures + 1 >= ? THEN ? ELSE open_until END',
              [
                this.policy.failureThreshold,
                databaseNowPlus(this.knex, this.policy.openMs),
              ],
            ),
          };
    await this.knex('ai_provider_breakers')
      .where({ provider_id: providerId })
      .update({ ...update, updated_at: databaseNow(this.knex) });
  }
}
