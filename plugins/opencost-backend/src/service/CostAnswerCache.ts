import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

const GENERATION_KEY = 'generation';
const GENERATION_READ_MS = 1_000;
/** Answers derived from a cached one kept on this replica (pages of the overview), at most. */
const MAX_LOCAL_ANSWERS = 1_000;

/**
 * Each caller's answers for as long as the security policy caches roles, in the cache service (Redis in
 * production, so every replica shares them). A sync starts a new generation, so fresh figures are served
 * at once everywhere; a role change shows within the policy's own cache time, as everywhere else. Only
 * answers are cached: a refusal is decided, and audited, every time. The cache failing costs speed only.
 * Concurrent misses of one key on a replica share one computation, so a new generation under load costs
 * one computation per question, not one per request.
 */
export class CostAnswerCache {
  /** Small answers derived from a cached one, kept on this replica until the one they came from expires. */
  private readonly local = new Map<string, { value: unknown; until: number }>();
  /** Answers being computed on this replica: concurrent askers of one key share the computation. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly cache: CacheService,
    private readonly ttlMs: number,
    private readonly logger: LoggerService,
  ) {}

  /** The generation as last read, for a second: how far behind a sync on another replica may be seen. */
  private generationRead?: { value: Promise<string>; at: number };

  private generation(): Promise<string> {
    const now = Date.now();
    if (
      !this.generationRead ||
      now - this.generationRead.at > GENERATION_READ_MS
    ) {
      const value = Promise.resolve(this.cache.get(GENERATION_KEY)).then(
        v => (v as string | undefined) ?? '0',
      );
      this.generationRead = { value, at: now };
      // A failed read is not remembered.
      value.catch(() => {
        this.generationRead = undefined;
      });
    }
    return this.generationRead.value;
  }

  /** After a sync: the answers cached so far are of the old figures. */
  async invalidate() {
    this.generationRead = undefined;
    try {
      await this.cache.set(
        GENERATION_KEY,
        `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
      );
    } catch (error) {
      this.logger.warn(
        `Could not start a new cost answer generation; cached answers expire within ${
          this.ttlMs / 1000
        } s: ${(error as Error).message}`,
      );
    }
  }

  async answer<T>(parts: string[], compute: () => Promise<T>): Promise<T> {
    let key: string | undefined;
    try {
      key = `answer:${await this.generation()}:${parts
        .map(encodeURIComponent)
        .join(':')}`;
      const hit = await this.cache.get(key);
      if (hit !== undefined) return hit as T;
    } catch {
      key = undefined;
    }
    if (!key) return compute();
    const pending = this.inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const computing = this.computeAndStore(key, compute).finally(() =>
      this.inFlight.delete(key!),
    );
    this.inFlight.set(key, computing);
    return computing;
  }

  /** How long an answer stays cached, in milliseconds. */
  get ttl() {
    return this.ttlMs;
  }

  /**
   * An answer derived from a cached one (a page of the overview), kept on this replica in a bounded map
   * until `until` (the expiry of the answer it came from), so it never outlives it.
   */
  async derived<T>(
    parts: string[],
    compute: () => Promise<{ value: T; until: number }>,
  ): Promise<T> {
    let key: string | undefined;
    try {
      key = `${await this.generation()}:${parts
        .map(encodeURIComponent)
        .join(':')}`;
    } catch {
      return (await compute()).value;
    }
    const now = Date.now();
    const hit = this.local.get(key);
    if (hit && hit.until > now) return hit.value as T;
    const { value, until } = await compute();
    if (until > now) {
      this.local.delete(key);
      if (this.local.size >= MAX_LOCAL_ANSWERS) {
        this.local.delete(this.local.keys().next().value!);
      }
      this.local.set(key, { value, until });
    }
    return value;
  }

  private async computeAndStore<T>(key: string, compute: () => Promise<T>) {
    const value = await compute();
    if (this.ttlMs > 0) {
      try {
        await this.cache.set(key, value as unknown as JsonValue, {
          ttl: this.ttlMs,
        });
      } catch {
        // Served uncached; the next request computes it again.
      }
    }
    return value;
  }
}
