import { LoggerService } from '@backstage/backend-plugin-api';
import {
  isError,
  NotFoundError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { Freshness, Signal } from '@internal/plugin-service-health-common';
import { SnapshotStore } from '../database/SnapshotStore';

/**
 * Upstream answers through the database: an answer younger than `freshSeconds` is served to every replica
 * without asking the upstream again (rate limits); when the upstream fails, the last good answer is served
 * with its age and the problem. A failure burst is logged once, when it starts.
 */
export class CachedSignals {
  /** Concurrent requests for the same answer on this replica wait for one upstream call. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: SnapshotStore,
    private readonly logger: LoggerService,
    private readonly freshSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async read<T>(
    entityRef: string,
    signal: Signal,
    fetchFromUpstream: () => Promise<T>,
    /** Ask the upstream again unless the stored answer is younger than this (following a sync). */
    refreshAfterSeconds = this.freshSeconds,
  ): Promise<{ payload: T; freshness: Freshness }> {
    const cached = await this.store.get<T>(entityRef, signal);
    const ageMs = cached
      ? this.now().getTime() - cached.fetchedAt.getTime()
      : Infinity;
    const freshFor = Math.min(refreshAfterSeconds, this.freshSeconds);
    if (cached && ageMs < freshFor * 1000) {
      return {
        payload: cached.payload,
        freshness: { asOf: cached.fetchedAt.toISOString(), stale: false },
      };
    }
    const key = `${signal}\u0000${entityRef}`;
    let pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = fetchFromUpstream();
      this.inFlight.set(key, pending);
      void pending.then(
        () => this.inFlight.delete(key),
        () => this.inFlight.delete(key),
      );
    }
    try {
      const payload = await pending;
      const fetchedAt = this.now();
      await this.store.save(entityRef, signal, { payload, fetchedAt });
      return {
        payload,
        freshness: { asOf: fetchedAt.toISOString(), stale: false },
      };
    } catch (error) {
      // The request itself is wrong (no such project, bad annotation): nothing cached answers that.
      if (error instanceof NotFoundError || error instanceof InputError)
        throw error;
      const problem = isError(error) ? error.message : String(error);
      if (await this.store.markFailing(entityRef, signal, problem)) {
        this.logger.warn(
          `${signal} of ${entityRef} could not be read: ${problem}`,
        );
      }
      if (!cached) {
        throw new ServiceUnavailableError(
          `${problem}; there is no earlier answer to show`,
        );
      }
      return {
        payload: cached.payload,
        freshness: {
          asOf: cached.fetchedAt.toISOString(),
          stale: true,
          problem,
        },
      };
    }
  }
}
