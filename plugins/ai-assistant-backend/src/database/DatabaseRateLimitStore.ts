import { Knex } from 'knex';
import { isPostgres } from '@internal/backend-database';

/**
 * Requests per user per minute, counted in the database so that every replica counts the same requests;
 * the minute is the database's.
 */
export class DatabaseRateLimitStore {
  constructor(private readonly knex: Knex) {}

  private currentMinute() {
    return isPostgres(this.knex)
      ? this.knex.raw('floor(extract(epoch from now()) / 60)::bigint')
      : Math.floor(Date.now() / 60_000);
  }

  /** Counts one request; returns how many the user has made this minute, this one included. */
  async hit(
    userRef: string,
  ): Promise<{ requests: number; secondsLeft: number }> {
    const [row] = await this.knex('ai_rate_windows')
      .insert({
        user_ref: userRef,
        window_minute: this.currentMinute(),
        requests: 1,
      })
      .onConflict(['user_ref', 'window_minute'])
      .merge({ requests: this.knex.raw('ai_rate_windows.requests + 1') })
      .returning(['requests', 'window_minute']);
    const windowEnd = (Number(row.window_minute) + 1) * 60_000;
    return {
      requests: Number(row.requests),
      secondsLeft: Math.max(1, Math.ceil((windowEnd - Date.now()) / 1000)),
    };
  }

  /** Forgets windows older than an hour. */
  async prune() {
    const hourAgo = isPostgres(this.knex)
      ? this.knex.raw('floor(extract(epoch from now()) / 60)::bigint - 60')
      : Math.floor(Date.now() / 60_000) - 60;
    return this.knex('ai_rate_windows')
      .where('window_minute', '<', hourAgo)
      .delete();
  }
}
