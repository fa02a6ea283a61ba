import type { CostSource } from '@internal/plugin-opencost-common';
import type { AwsDailyCost } from '../clients/AwsCostClient';
import type { DailyCost } from '../costs/dailyCost';
import type { CostVariance } from '../costs/variance';

export type CostSourceKind = CostSource['aggregate'];
/** What a sync reads days from: OpenCost by label or namespace, or AWS Cost Explorer. */
export type SyncedSource = CostSourceKind | 'aws';

export type StoredCostVariance = CostVariance & { checkedAt: Date };

/** Each service's daily costs, shared by every replica. */
export interface CostStore {
  /**
   * Stores one synced day of a source: every service's costs that day (replacing what was stored for
   * that day, so a repeated sync is harmless) and the day as synced, in one transaction.
   */
  saveDay(
    source: CostSourceKind,
    day: string,
    costs: Array<{ name: string; cost: DailyCost }>,
  ): Promise<void>;
  /** The days of [from, to) that have been synced for the source. */
  syncedDays(source: SyncedSource, from: string, to: string): Promise<string[]>;
  /** When the source was last synced, or undefined if never. */
  lastSyncedAt(source: SyncedSource): Promise<Date | undefined>;
  /** One service's days in [from, to). */
  dailyCosts(
    source: CostSourceKind,
    name: string,
    from: string,
    to: string,
  ): Promise<DailyCost[]>;
  /** Every service's days in [from, to), by name. */
  allDailyCosts(
    source: CostSourceKind,
    from: string,
    to: string,
  ): Promise<Map<string, DailyCost[]>>;
  /**
   * Every service's total over [from, to) and over [before, from), summed by the database (what lists
   * need, without reading each day).
   */
  windowTotals(
    source: CostSourceKind,
    window: { before: string; from: string; to: string },
  ): Promise<Map<string, { total: number; previous: number }>>;
  /** Stores one synced day of AWS costs, as saveDay does for OpenCost's. */
  saveAwsDay(
    day: string,
    costs: Array<Omit<AwsDailyCost, 'day'>>,
  ): Promise<void>;
  /** Each tag value's AWS amounts on the days of [from, to). */
  awsDailyAmounts(from: string, to: string): Promise<Map<string, number[]>>;
  /** Replaces the latest variance check with these results. */
  saveVariances(variances: CostVariance[]): Promise<void>;
  /** The latest variance check of one service label, if it had one. */
  variance(name: string): Promise<StoredCostVariance | undefined>;
}
