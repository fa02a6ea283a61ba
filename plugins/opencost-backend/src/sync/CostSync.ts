import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { OpenCostClient } from '../clients/OpenCostClient';
import { addDays, dayOf } from '../costs/analysis';
import { DailyCost, dailyCostOf } from '../costs/dailyCost';
import { CostSourceKind, CostStore } from '../database/CostStore';
import { daysToSync, requestRanges } from './syncPlan';

/** OpenCost's own buckets, which are no service. */
const NOT_A_SERVICE = new Set(['__idle__', '__unallocated__', '__unmounted__']);

export type CostSyncResult = Record<CostSourceKind, number> & {
  problem?: string;
};

export interface CostSyncOptions {
  client: OpenCostClient;
  store: CostStore;
  logger: LoggerService;
  /** The label services are found by (`opencost.serviceLabelKey`, default app). */
  serviceLabelKey: string;
  /** Days fetched on the first run; default 90. */
  backfillDays?: number;
  /** Recent days fetched again on every run; default 2. */
  settleDays?: number;
  /** Days per OpenCost request; default 31. */
  maxDaysPerRequest?: number;
}

/**
 * The daily sync: every missing day of the backfill window (all of it on the first run, the days of an
 * outage after one) and the settling days, for services by label and by namespace. Each day is stored
 * in one transaction (upserted), so a repeated or concurrent run (two replicas) stores the same rows. A failure ends
 * that source's run with one log line; the next run fetches what is still missing.
 */
export class CostSync {
  constructor(private readonly options: CostSyncOptions) {}

  private get sources(): Array<{ source: CostSourceKind; aggregate: string }> {
    return [
      { source: 'label', aggregate: `label:${this.options.serviceLabelKey}` },
      { source: 'namespace', aggregate: 'namespace' },
    ];
  }

  /**
   * Syncs up to (not including) `today`; returns the days stored per source and, when OpenCost could not
   * be read, why.
   */
  async run(today = dayOf(new Date())): Promise<CostSyncResult> {
    const result: CostSyncResult = { label: 0, namespace: 0 };
    for (const { source, aggregate } of this.sources) {
      try {
        result[source] = await this.syncSource(source, aggregate, today);
      } catch (error) {
        const problem = `OpenCost sync of ${aggregate} stopped, the portal shows the costs stored before: ${
          (error as Error).message
        }`;
        this.options.logger.error(problem);
        result.problem ??= problem;
      }
    }
    return result;
  }

  private async syncSource(
    source: CostSourceKind,
    aggregate: string,
    today: string,
  ): Promise<number> {
    const { client, store } = this.options;
    const backfillDays = this.options.backfillDays ?? 90;
    const synced = await store.syncedDays(
      source,
      addDays(today, -backfillDays),
      today,
    );
    const days = daysToSync(
      today,
      synced,
      backfillDays,
      this.options.settleDays ?? 2,
    );
    let count = 0;
    for (const range of requestRanges(
      days,
      this.options.maxDaysPerRequest ?? 31,
    )) {
      const sets = await client.dailyAllocations({
        start: new Date(`${range[0]}T00:00:00Z`),
        end: new Date(`${addDays(range[range.length - 1], 1)}T00:00:00Z`),
        aggregate,
      });
      if (sets.length !== range.length) {
        throw new ServiceUnavailableError(
          `OpenCost answered ${sets.length} days for the ${range.length} from ${range[0]}`,
        );
      }
      for (const [i, day] of range.entries()) {
        const costs: Array<{ name: string; cost: DailyCost }> = Object.entries(
          sets[i],
        )
          .filter(([name]) => !NOT_A_SERVICE.has(name))
          .map(([name, allocation]) => ({
            name,
            cost: dailyCostOf(allocation, day),
          }));
        await store.saveDay(source, day, costs);
        count++;
      }
    }
    return count;
  }
}
