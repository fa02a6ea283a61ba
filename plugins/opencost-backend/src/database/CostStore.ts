import type { CostSource } from '@internal/plugin-opencost-common';
import type { DailyCost } from '../costs/dailyCost';

export type CostSourceKind = CostSource['aggregate'];

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
  syncedDays(
    source: CostSourceKind,
    from: string,
    to: string,
  ): Promise<string[]>;
  /** When the source was last synced, or undefined if never. */
  lastSyncedAt(source: CostSourceKind): Promise<Date | undefined>;
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
}
