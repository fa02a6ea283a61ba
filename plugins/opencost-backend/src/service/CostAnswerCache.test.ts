import { randomUUID } from 'node:crypto';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { CostAnswerCache } from './CostAnswerCache';

// Two replicas of the plugin on the machine's Redis, as production runs them.
function replica() {
  const config = new ConfigReader({
    backend: {
      cache: { store: 'redis', connection: 'redis://127.0.0.1:6379' },
    },
  });
  return CacheManager.fromConfig(config).forPlugin(
    `opencost-test-${process.pid}`,
  );
}

describe('CostAnswerCache', () => {
  it("serves a caller's answer from any replica until a sync on any replica starts a new generation (seen by the others within a second)", async () => {
    const logger = mockServices.logger.mock();
    const a = new CostAnswerCache(replica(), 60_000, logger);
    const b = new CostAnswerCache(replica(), 60_000, logger);
    const user = `user:default/test-${randomUUID()}`;
    let computed = 0;
    const compute = async () => ({ total: ++computed });

    expect(await a.answer([user, 'costs', 'x'], compute)).toEqual({ total: 1 });
    expect(await b.answer([user, 'costs', 'x'], compute)).toEqual({ total: 1 });
    // Another caller, or another question, is never served this answer.
    expect(await b.answer([`${user}-2`, 'costs', 'x'], compute)).toEqual({
      total: 2,
    });
    expect(await a.answer([user, 'costs', 'y'], compute)).toEqual({ total: 3 });
    // A key part holding the separator cannot collide with two parts.
    expect(await a.answer([user, 'costs:y'], compute)).toEqual({ total: 4 });

    // The replica that synced serves the new figures at once; the other within a second.
    await b.invalidate();
    expect(await b.answer([user, 'costs', 'x'], compute)).toEqual({ total: 5 });
    await new Promise(resolve => setTimeout(resolve, 1_100));
    expect(await a.answer([user, 'costs', 'x'], compute)).toEqual({ total: 5 });
  });

  it("keeps a replica's own copy of an answer no longer than the cache service keeps it", async () => {
    const a = new CostAnswerCache(replica(), 300, mockServices.logger.mock());
    const b = new CostAnswerCache(replica(), 300, mockServices.logger.mock());
    const user = `user:default/test-${randomUUID()}`;
    let computed = 0;
    const compute = async () => ({ total: ++computed });
    expect(await a.answer([user, 'costs'], compute)).toEqual({ total: 1 });
    expect(await b.answer([user, 'costs'], compute)).toEqual({ total: 1 });
    expect(await b.answer([user, 'costs'], compute)).toEqual({ total: 1 });
    await new Promise(resolve => setTimeout(resolve, 400));
    expect(await b.answer([user, 'costs'], compute)).toEqual({ total: 2 });
    expect(await a.answer([user, 'costs'], compute)).toEqual({ total: 2 });
  });

  it('computes one answer for many concurrent askers of the same question', async () => {
    const cache = new CostAnswerCache(
      replica(),
      60_000,
      mockServices.logger.mock(),
    );
    const user = `user:default/test-${randomUUID()}`;
    const compute = jest.fn(async () => {
      await new Promise(resolve => setTimeout(resolve, 50));
      return { services: 1000 };
    });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        cache.answer([user, 'overview'], compute),
      ),
    );
    expect(answers).toEqual(Array(20).fill({ services: 1000 }));
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('keeps a derived answer (a page) on the replica no longer than the answer it came from', async () => {
    const cache = new CostAnswerCache(
      replica(),
      60_000,
      mockServices.logger.mock(),
    );
    const user = `user:default/test-${randomUUID()}`;
    let computed = 0;
    const page = (until: number) => async () => ({
      value: ++computed,
      until,
    });
    expect(await cache.derived([user, 'p1'], page(Date.now() + 60_000))).toBe(
      1,
    );
    expect(await cache.derived([user, 'p1'], page(Date.now() + 60_000))).toBe(
      1,
    );
    // Its source expires in 100 ms: kept until then, computed again after.
    expect(await cache.derived([user, 'p2'], page(Date.now() + 100))).toBe(2);
    expect(await cache.derived([user, 'p2'], page(Date.now() + 100))).toBe(2);
    await new Promise(resolve => setTimeout(resolve, 150));
    expect(await cache.derived([user, 'p2'], page(Date.now() + 100))).toBe(3);
  });

  it('a refusal is not cached: it is decided (and audited) every time', async () => {
    const cache = new CostAnswerCache(
      replica(),
      60_000,
      mockServices.logger.mock(),
    );
    const user = `user:default/test-${randomUUID()}`;
    const refuse = jest.fn(async () => {
      throw new Error('You may not see the costs');
    });
    await expect(cache.answer([user, 'costs'], refuse)).rejects.toThrow();
    await expect(cache.answer([user, 'costs'], refuse)).rejects.toThrow();
    expect(refuse).toHaveBeenCalledTimes(2);
  });

  it('a cache that fails costs speed, not answers', async () => {
    const broken = mockServices.cache.mock({
      get: async () => {
        throw new Error('Redis is down');
      },
      set: async () => {
        throw new Error('Redis is down');
      },
    });
    const logger = mockServices.logger.mock();
    const cache = new CostAnswerCache(broken, 60_000, logger);
    expect(
      await cache.answer(['user:default/x', 'costs'], async () => 42),
    ).toBe(42);
    await cache.invalidate();
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });
});
