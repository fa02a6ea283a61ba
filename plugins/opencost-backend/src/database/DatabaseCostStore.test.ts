import { TestDatabases } from '@backstage/backend-test-utils';
import { addDays } from '../costs/analysis';
import { dailyCostOf } from '../costs/dailyCost';
import { DatabaseCostStore } from './DatabaseCostStore';
import { MIGRATIONS } from './migrations';

const cost = (day: string, totalCost: number) =>
  dailyCostOf(
    {
      cpuCost: totalCost * 0.6,
      ramCost: totalCost * 0.4,
      pvCost: 0,
      networkCost: 0,
      totalCost,
      cpuCoreHours: 24,
      ramByteHours: 24 * 2 ** 30,
      cpuCoreRequestAverage: 1,
      cpuCoreUsageAverage: 0.25,
      ramByteRequestAverage: 2 ** 30,
      ramByteUsageAverage: 2 ** 29,
    },
    day,
  );

describe('DatabaseCostStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function store(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest(MIGRATIONS);
    return new DatabaseCostStore(knex);
  }

  it.each(databases.eachSupportedId())(
    'stores a synced day, replaces it when synced again, and reads windows back (%s)',
    async databaseId => {
      const costs = await store(databaseId);
      expect(await costs.lastSyncedAt('label')).toBeUndefined();
      const before = Date.now();
      await costs.saveDay('label', '2026-11-01', [
        { name: 'invoice-service', cost: cost('2026-11-01', 10) },
        { name: 'pdf-renderer', cost: cost('2026-11-01', 4) },
      ]);
      await costs.saveDay('label', '2026-11-02', [
        { name: 'invoice-service', cost: cost('2026-11-02', 12) },
      ]);
      // Synced again (a repeated sync, another replica): the day's rows are replaced, not added.
      await costs.saveDay('label', '2026-11-01', [
        { name: 'invoice-service', cost: cost('2026-11-01', 11) },
      ]);
      // A day without any allocation is still synced.
      await costs.saveDay('label', '2026-11-03', []);

      expect(
        await costs.syncedDays('label', '2026-11-01', '2026-11-03'),
      ).toEqual(['2026-11-01', '2026-11-02']);
      expect(
        await costs.syncedDays('namespace', '2026-11-01', '2026-12-01'),
      ).toEqual([]);
      const invoice = await costs.dailyCosts(
        'label',
        'invoice-service',
        '2026-11-01',
        '2026-12-01',
      );
      expect(invoice.map(d => [d.day, d.totalCost])).toEqual([
        ['2026-11-01', 11],
        ['2026-11-02', 12],
      ]);
      expect(invoice[0]).toEqual(cost('2026-11-01', 11));
      const all = await costs.allDailyCosts(
        'label',
        '2026-11-01',
        '2026-11-02',
      );
      expect([...all.keys()]).toEqual(['invoice-service']);
      const syncedAt = (await costs.lastSyncedAt('label'))!.getTime();
      expect(Math.abs(syncedAt - before)).toBeLessThan(60_000);
    },
  );

  it.each(databases.eachSupportedId())(
    'saves a day of 1,000 services in one go (%s)',
    async databaseId => {
      const costs = await store(databaseId);
      const many = Array.from({ length: 1000 }, (_, i) => ({
        name: `service-${i}`,
        cost: cost('2026-11-05', i),
      }));
      await costs.saveDay('label', '2026-11-05', many);
      const all = await costs.allDailyCosts(
        'label',
        '2026-11-05',
        '2026-11-06',
      );
      expect(all.size).toBe(1000);
      expect(all.get('service-999')![0].totalCost).toBe(999);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets two runs save the same day at once (two replicas) and keeps one row per service (%s)',
    async databaseId => {
      const costs = await store(databaseId);
      const day = Array.from({ length: 300 }, (_, i) => ({
        name: `service-${i}`,
        cost: cost('2026-11-07', i),
      }));
      await Promise.all([
        costs.saveDay('label', '2026-11-07', day),
        costs.saveDay('label', '2026-11-07', day),
        costs.saveDay('label', '2026-11-07', day.slice(0, 200)),
      ]);
      const all = await costs.allDailyCosts(
        'label',
        '2026-11-07',
        '2026-11-08',
      );
      expect([200, 300]).toContain(all.size);
      for (const [, days] of all) expect(days).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'sums each service over a window and the window before it in the database, as the days add up (%s)',
    async databaseId => {
      const costs = await store(databaseId);
      const days = Array.from({ length: 20 }, (_, i) =>
        addDays('2026-10-01', i),
      );
      for (const [i, day] of days.entries()) {
        await costs.saveDay('label', day, [
          { name: 'steady', cost: cost(day, 10) },
          ...(i >= 10 ? [{ name: 'new', cost: cost(day, 1.5 * i) }] : []),
        ]);
      }
      const window = {
        before: '2026-10-05',
        from: '2026-10-12',
        to: '2026-10-19',
      };
      const totals = await costs.windowTotals('label', window);
      const all = await costs.allDailyCosts('label', window.before, window.to);
      for (const name of ['steady', 'new']) {
        const sum = (from: string, to: string) =>
          all
            .get(name)!
            .filter(d => d.day >= from && d.day < to)
            .reduce((a, d) => a + d.totalCost, 0);
        expect(totals.get(name)!.total).toBeCloseTo(
          sum(window.from, window.to),
          9,
        );
        expect(totals.get(name)!.previous).toBeCloseTo(
          sum(window.before, window.from),
          9,
        );
      }
      expect(totals.get('steady')).toEqual({ total: 70, previous: 70 });
      expect(await costs.windowTotals('namespace', window)).toEqual(new Map());
    },
  );
});
