import { Knex } from 'knex';
import { timestampOf } from '@internal/backend-database';
import type { AwsDailyCost } from '../clients/AwsCostClient';
import type { DailyCost } from '../costs/dailyCost';
import type { CostVariance } from '../costs/variance';
import {
  CostSourceKind,
  CostStore,
  StoredCostVariance,
  SyncedSource,
} from './CostStore';

const COSTS = 'opencost_daily_costs';
const SYNCED = 'opencost_synced_days';
const AWS_COSTS = 'opencost_aws_daily_costs';
const VARIANCES = 'opencost_cost_variances';

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

export class DatabaseCostStore implements CostStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Replaces one day's rows of `table` (those matching `where`) with `rows` and marks the day synced, in
   * one transaction. Upserted, then what the day no longer has removed: two runs saving the same day at
   * once (two replicas, a refresh beside the scheduled sync) wait for each other's rows instead of colliding.
   */
  private async replaceDay(options: {
    table: string;
    where: Record<string, string>;
    key: string[];
    rows: Array<Record<string, string | number>>;
    syncedSource: SyncedSource;
    day: string;
  }) {
    const { table, where, key, rows, syncedSource, day } = options;
    const merged = Object.keys(rows[0] ?? {}).filter(c => !key.includes(c));
    await this.knex.transaction(async tx => {
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await tx(table)
          .insert(rows.slice(i, i + ROWS_PER_INSERT))
          .onConflict(key)
          .merge(merged);
      }
      const kept = new Set(rows.map(row => row.name));
      const gone = (await tx(table).where(where).select('name'))
        .map(row => row.name as string)
        .filter(name => !kept.has(name));
      for (let i = 0; i < gone.length; i += ROWS_PER_INSERT) {
        await tx(table)
          .where(where)
          .whereIn('name', gone.slice(i, i + ROWS_PER_INSERT))
          .delete();
      }
      await tx(SYNCED)
        .insert({ source: syncedSource, day, synced_at: tx.fn.now() })
        .onConflict(['source', 'day'])
        .merge(['synced_at']);
    });
  }

  async saveDay(
    source: CostSourceKind,
    day: string,
    costs: Array<{ name: string; cost: DailyCost }>,
  ) {
    await this.replaceDay({
      table: COSTS,
      where: { source, day },
      key: ['source', 'name', 'day'],
      rows: costs.map(({ name, cost }) =>
        rowOf(source, name, { ...cost, day }),
      ),
      syncedSource: source,
      day,
    });
  }

  async windowTotals(
    source: CostSourceKind,
    window: { before: string; from: string; to: string },
  ) {
    const rows = await this.knex(COSTS)
      .where({ source })
      .where('day', '>=', window.before)
      .where('day', '<', window.to)
      .groupBy('name')
      .select(
        'name',
        this.knex.raw(
          'sum(case when day >= ? then total_cost else 0 end) as total',
          [window.from],
        ),
        this.knex.raw(
          'sum(case when day < ? then total_cost else 0 end) as previous',
          [window.from],
        ),
      );
    return new Map(
      rows.map((row: any) => [
        row.name as string,
        { total: Number(row.total), previous: Number(row.previous) },
      ]),
    );
  }

  async saveAwsDay(day: string, costs: Array<Omit<AwsDailyCost, 'day'>>) {
    await this.replaceDay({
      table: AWS_COSTS,
      where: { day },
      key: ['name', 'day'],
      rows: costs.map(({ name, amount, currency }) => ({
        name,
        day,
        amount,
        currency,
      })),
      syncedSource: 'aws',
      day,
    });
  }

  async awsDailyAmounts(from: string, to: string) {
    const rows = await this.knex(AWS_COSTS)
      .where('day', '>=', from)
      .where('day', '<', to)
      .orderBy(['name', 'day']);
    const byName = new Map<string, number[]>();
    for (const row of rows) {
      const amounts = byName.get(row.name) ?? [];
      amounts.push(Number(row.amount));
      byName.set(row.name, amounts);
    }
    return byName;
  }

  async saveVariances(variances: CostVariance[]) {
    await this.knex.transaction(async tx => {
      await tx(VARIANCES).delete();
      const rows = variances.map(v => ({
        name: v.name,
        from_day: v.from,
        to_day: v.to,
        opencost: v.opencost,
        aws: v.aws,
        variance: v.variance,
        flagged: v.flagged,
        checked_at: tx.fn.now(),
      }));
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await tx(VARIANCES).insert(rows.slice(i, i + ROWS_PER_INSERT));
      }
    });
  }

  async variance(name: string): Promise<StoredCostVariance | undefined> {
    const row = await this.knex(VARIANCES).where({ name }).first();
    if (!row) return undefined;
    return {
      name: row.name,
      from: row.from_day,
      to: row.to_day,
      opencost: Number(row.opencost),
      aws: Number(row.aws),
      variance: Number(row.variance),
      flagged: Boolean(row.flagged),
      checkedAt: timestampOf(row.checked_at),
    };
  }

  async syncedDays(source: SyncedSource, from: string, to: string) {
    const rows = await this.knex(SYNCED)
      .where({ source })
      .where('day', '>=', from)
      .where('day', '<', to)
      .orderBy('day')
      .select('day');
    return rows.map(row => row.day as string);
  }

  async lastSyncedAt(source: SyncedSource) {
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
