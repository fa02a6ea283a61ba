import { Knex } from 'knex';
import type { DailyCost } from '../costs/dailyCost';
import { CostSourceKind, CostStore } from './CostStore';

const COSTS = 'opencost_daily_costs';
const SYNCED = 'opencost_synced_days';

const COLUMNS: Record<Exclude<keyof DailyCost, 'day'>, string> = {
  cpuCost: 'cpu_cost',
  ramCost: 'ram_cost',
  pvCost: 'pv_cost',
  networkCost: 'network_cost',
  gpuCost: 'gpu_cost',
  loadBalancerCost: 'load_balancer_cost',
  totalCost: 'total_cost',
  cpuCoreHours: 'cpu_core_hours',
  ramByteHours: 'ram_byte_hours',
  cpuCoreRequestAverage: 'cpu_core_request_average',
  cpuCoreUsageAverage: 'cpu_core_usage_average',
  ramByteRequestAverage: 'ram_byte_request_average',
  ramByteUsageAverage: 'ram_byte_usage_average',
};
const FIELDS = Object.keys(COLUMNS) as Array<keyof typeof COLUMNS>;

/** Rows per insert statement: SQLite allows 999 bound values, a row binds 16. */
const ROWS_PER_INSERT = 50;

function rowOf(source: CostSourceKind, name: string, cost: DailyCost) {
  const row: Record<string, string | number> = { source, name, day: cost.day };
  for (const field of FIELDS) row[COLUMNS[field]] = cost[field];
  return row;
}

function costOf(row: Record<string, any>): DailyCost {
  const cost = { day: row.day } as DailyCost;
  for (const field of FIELDS) cost[field] = Number(row[COLUMNS[field]]);
  return cost;
}

/** PostgreSQL returns a Date; SQLite's CURRENT_TIMESTAMP is UTC text without a zone. */
function timestampOf(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(
    /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`,
  );
}

export class DatabaseCostStore implements CostStore {
  constructor(private readonly knex: Knex) {}

  async saveDay(
    source: CostSourceKind,
    day: string,
    costs: Array<{ name: string; cost: DailyCost }>,
  ) {
    // Upserted, then what the day no longer has removed: two runs saving the same day at once (two
    // replicas, a refresh beside the scheduled sync) wait for each other's rows instead of colliding.
    await this.knex.transaction(async tx => {
      const rows = costs.map(({ name, cost }) =>
        rowOf(source, name, { ...cost, day }),
      );
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await tx(COSTS)
          .insert(rows.slice(i, i + ROWS_PER_INSERT))
          .onConflict(['source', 'name', 'day'])
          .merge(Object.values(COLUMNS));
      }
      const kept = new Set(costs.map(c => c.name));
      const gone = (await tx(COSTS).where({ source, day }).select('name'))
        .map(row => row.name as string)
        .filter(name => !kept.has(name));
      for (let i = 0; i < gone.length; i += ROWS_PER_INSERT) {
        await tx(COSTS)
          .where({ source, day })
          .whereIn('name', gone.slice(i, i + ROWS_PER_INSERT))
          .delete();
      }
      await tx(SYNCED)
        .insert({ source, day, synced_at: tx.fn.now() })
        .onConflict(['source', 'day'])
        .merge(['synced_at']);
    });
  }

  async syncedDays(source: CostSourceKind, from: string, to: string) {
    const rows = await this.knex(SYNCED)
      .where({ source })
      .where('day', '>=', from)
      .where('day', '<', to)
      .orderBy('day')
      .select('day');
    return rows.map(row => row.day as string);
  }

  async lastSyncedAt(source: CostSourceKind) {
    const row = await this.knex(SYNCED)
      .where({ source })
      .max({ at: 'synced_at' })
      .first();
    return row?.at ? timestampOf(row.at) : undefined;
  }

  async dailyCosts(
    source: CostSourceKind,
    name: string,
    from: string,
    to: string,
  ) {
    const rows = await this.knex(COSTS)
      .where({ source, name })
      .where('day', '>=', from)
      .where('day', '<', to)
      .orderBy('day');
    return rows.map(costOf);
  }

  async allDailyCosts(source: CostSourceKind, from: string, to: string) {
    const rows = await this.knex(COSTS)
      .where({ source })
      .where('day', '>=', from)
      .where('day', '<', to)
      .orderBy(['name', 'day']);
    const byName = new Map<string, DailyCost[]>();
    for (const row of rows) {
      const days = byName.get(row.name) ?? [];
      days.push(costOf(row));
      byName.set(row.name, days);
    }
    return byName;
  }
}
