import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

const GENERATION_KEY = 'generation';
const GENERATION_READ_MS = 1_000;
/** Answers kept on this replica (read from the cache service, or pages derived from one), at most. */
const MAX_LOCAL_ANSWERS = 1_000;

/** An answer as the cache service holds it, with when it expires there. */
type StoredAnswer = { value: JsonValue; until: number };

/**
 * Each caller's answers for as long as the security policy caches roles, in the cache service (Redis in
 * production, so every replica shares them). A sync starts a new generation, so fresh figures are served
 * at once everywhere; a role change shows within the policy's own cache time, as everywhere else. Only
 * answers are cached: a refusal is decided, and audited, every time. The cache failing costs speed only.
 * Concurrent misses of one key on a replica share one computation, so a new generation under load costs
 * one computation per question, not one per request.
 */
export class CostAnswerCache {
  /**
   * Answers read from the cache service, and small ones derived from them, kept on this replica until
   * they expire there: keyed by generation, so a sync anywhere retires them as it retires the shared ones.
   */
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
    let key: string;
    try {
      key = `answer.v2:${await this.generation()}:${parts
        .map(encodeURIComponent)
        .join(':')}`;
    } catch {
      return compute();
    }
    const near = this.localHit(key);
    if (near) return near.value as T;
    try {
      const hit = (await this.cache.get(key)) as StoredAnswer | undefined;
      if (hit !== undefined) {
        this.keepLocally(key, hit);
        return hit.value as T;
      }
    } catch {
      // Computed instead; the cache failing costs speed only.
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const computing = this.computeAndStore(key, compute).finally(() =>
      this.inFlight.delete(key),
    );
    this.inFlight.set(key, computing);
    return computing;
  }

  private localHit(key: string) {
    const hit = this.local.get(key);
    return hit && hit.until > Date.now() ? hit : undefined;
  }

  /** Kept on this replica until it expires in the shared cache too; the oldest goes first past the bound. */
  private keepLocally(key: string, answer: { value: unknown; until: number }) {
    if (answer.until <= Date.now()) return;
    this.local.delete(key);
    if (this.local.size >= MAX_LOCAL_ANSWERS) {
      this.local.delete(this.local.keys().next().value!);
    }
    this.local.set(key, answer);
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
    const hit = this.localHit(key);
    if (hit) return hit.value as T;
    const answer = await compute();
    this.keepLocally(key, answer);
    return answer.value;
  }

  private async computeAndStore<T>(key: string, compute: () => Promise<T>) {
    const value = await compute();
    if (this.ttlMs > 0) {
      const answer: StoredAnswer = {
        value: value as JsonValue,
        until: Date.now() + this.ttlMs,
      };
      try {
        await this.cache.set(key, answer, { ttl: this.ttlMs });
        this.keepLocally(key, answer);
      } catch {
        // Served uncached; the next request computes it again.
      }
    }
    return value;
  }
}
