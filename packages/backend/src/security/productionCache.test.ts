import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ConfigReader } from '@backstage/config';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { parse } from 'yaml';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const read = (file: string) =>
  parse(fs.readFileSync(path.join(repoRoot, file), 'utf8'));

describe('the production cache', () => {
  it('is Redis, so a role one replica resolved is what another replica reads', async () => {
    // ${REDIS_URL} as production sets it, pointed at the machine's Redis.
    const production = read('app-config.production.yaml');
    expect(production.backend.cache).toEqual({
      store: 'redis',
      connection: '${REDIS_URL}',
    });
    const config = ConfigReader.fromConfigs([
      { context: 'app-config.yaml', data: read('app-config.yaml') },
      {
        context: 'app-config.production.yaml',
        data: {
          backend: {
            cache: {
              ...production.backend.cache,
              connection: 'redis://127.0.0.1:6379',
            },
          },
        },
      },
    ]);
    const replicaA = CacheManager.fromConfig(config).forPlugin('security');
    const replicaB = CacheManager.fromConfig(config).forPlugin('security');
    const key = `role:user:default/test-${randomUUID()}`;
    await replicaA.set(key, { role: 'developer' }, { ttl: 5_000 });
    expect(await replicaB.get(key)).toEqual({ role: 'developer' });
    await replicaB.delete(key);
    expect(await replicaA.get(key)).toBeUndefined();
  });
});
