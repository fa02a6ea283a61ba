import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { SANDBOX_CREDENTIALS, startModelEmulator } from '@internal/sandbox';
import { MIGRATIONS } from '../database/migrations';
import { DatabaseBreakerStore } from './DatabaseBreakerStore';
import { ProviderConfig, ProviderPool } from './ProviderPool';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const provider = (id: string, url: string): ProviderConfig => ({
  id,
  baseUrl: `${url}/v1`,
  apiKey: SANDBOX_CREDENTIALS.llmApiKey,
  model: 'gpt-4o-mini',
  contextTokens: 128_000,
  answerTokens: 500,
  firstTokenTimeoutMs: 400,
  timeoutMs: 10_000,
  headers: {},
});

const QUESTION = {
  messages: [
    {
      role: 'system' as const,
      content:
        'Capability: chat\n[1] checkout runbook\nRoll back checkout when the latency alert fires.',
    },
    {
      role: 'user' as const,
      content: 'What do I do when the checkout latency alert fires?',
    },
  ],
};

describe.each(databases.eachSupportedId())('ProviderPool on %s', databaseId => {
  let primary: Awaited<ReturnType<typeof startModelEmulator>>;
  let backup: Awaited<ReturnType<typeof startModelEmulator>>;
  beforeAll(async () => {
    primary = await startModelEmulator();
    backup = await startModelEmulator();
  });
  afterAll(async () => {
    await primary.stop();
    await backup.stop();
  });

  async function replicas(count: number, openMs = 60_000) {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest(MIGRATIONS);
    return Array.from({ length: count }, () => {
      const breakers = new DatabaseBreakerStore(knex, {
        failureThreshold: 2,
        openMs,
        trialMs: 5_000,
      });
      return {
        breakers,
        pool: new ProviderPool(
          [provider('primary', primary.url), provider('backup', backup.url)],
          breakers,
          mockServices.logger.mock(),
        ),
      };
    });
  }

  it('answers from the backup when the primary fails or stalls, streaming the text as it comes', async () => {
    const [{ pool, breakers }] = await replicas(1);
    await breakers.ensure(['primary', 'backup']);
    await primary.control({ mode: 'fail', status: 500, remaining: 1 });
    const streamed: string[] = [];
    const fromBackup = await pool.complete({
      ...QUESTION,
      onText: t => {
        streamed.push(t);
      },
    });
    expect(fromBackup.provider).toBe('backup');
    expect(fromBackup.text).toContain(
      'Roll back checkout when the latency alert fires. [1]',
    );
    expect(streamed.join('')).toBe(fromBackup.text);
    expect(streamed.length).toBeGreaterThan(5);

    await primary.control({ mode: 'stall', remaining: 1 });
    const started = Date.now();
    const afterStall = await pool.complete(QUESTION);
    expect(afterStall.provider).toBe('backup');
    // The stall cost the first-token timeout, not the request timeout.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await breakers.position('primary')).failures).toBe(2);
  });

  it('opens after the threshold, which every replica sees; one trial after openMs closes it again', async () => {
    const [a, b] = await replicas(2, 1_500);
    await a.breakers.ensure(['primary', 'backup']);
    await primary.control({ mode: 'fail', status: 503 });
    expect((await a.pool.complete(QUESTION)).provider).toBe('backup');
    expect((await b.pool.complete(QUESTION)).provider).toBe('backup');
    // Two failures in a row, one through each replica: open for both.
    expect((await a.breakers.position('primary')).position).toBe('open');
    expect((await b.breakers.position('primary')).position).toBe('open');
    const before = (await primary.requestLog()).length;
    expect((await b.pool.complete(QUESTION)).provider).toBe('backup');
    expect((await primary.requestLog()).length).toBe(before);

    await primary.control({ mode: 'ok' });
    await new Promise(resolve => setTimeout(resolve, 1_600));
    expect((await a.breakers.position('primary')).position).toBe('half-open');
    // Both replicas ask at once: one takes the trial, the other skips the primary meanwhile.
    const passes = await Promise.all([
      a.breakers.pass('primary'),
      b.breakers.pass('primary'),
    ]);
    expect(passes.sort()).toEqual(['open', 'trial']);
    await a.breakers.record('primary', 'success');
    expect((await b.breakers.position('primary')).position).toBe('closed');
    expect((await b.pool.complete(QUESTION)).provider).toBe('primary');
  });

  it('says which providers failed and why when none answers', async () => {
    const [{ pool, breakers }] = await replicas(1);
    await breakers.ensure(['primary', 'backup']);
    await primary.control({ mode: 'fail', status: 500, remaining: 1 });
    await backup.control({ mode: 'fail', status: 502, remaining: 1 });
    await expect(pool.complete(QUESTION)).rejects.toThrow(
      /No AI provider could answer \(primary: answered 500; backup: answered 502\)/,
    );
  });
});
