import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

const GENERATION_KEY = 'generation';

/**
 * Each caller's answers for as long as the security policy caches roles, in the cache service (Redis in
 * production, so every replica shares them). A sync starts a new generation, so fresh figures are served
 * at once everywhere; a role change shows within the policy's own cache time, as everywhere else. Only
 * answers are cached: a refusal is decided, and audited, every time. The cache failing costs speed only.
 */
export class CostAnswerCache {
  constructor(
    private readonly cache: CacheService,
    private readonly ttlMs: number,
    private readonly logger: LoggerService,
  ) {}

  private async generation(): Promise<string> {
    return (
      ((await this.cache.get(GENERATION_KEY)) as string | undefined) ?? '0'
    );
  }

  /** After a sync: the answers cached so far are of the old figures. */
  async invalidate() {
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
    const value = await compute();
    if (key && this.ttlMs > 0) {
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
