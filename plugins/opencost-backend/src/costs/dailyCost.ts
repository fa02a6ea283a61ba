import type { OpenCostAllocation } from '../clients/OpenCostClient';

/** What one service (an OpenCost label value or namespace) cost on one UTC day. */
export interface DailyCost {
  /** YYYY-MM-DD, UTC. */
  day: string;
  cpuCost: number;
  ramCost: number;
  pvCost: number;
  networkCost: number;
  gpuCost: number;
  loadBalancerCost: number;
  totalCost: number;
  cpuCoreHours: number;
  ramByteHours: number;
  cpuCoreRequestAverage: number;
  cpuCoreUsageAverage: number;
  ramByteRequestAverage: number;
  ramByteUsageAverage: number;
}

const COST_FIELDS = [
  'cpuCost',
  'ramCost',
  'pvCost',
  'networkCost',
  'gpuCost',
  'loadBalancerCost',
  'totalCost',
  'cpuCoreHours',
  'ramByteHours',
  'cpuCoreRequestAverage',
  'cpuCoreUsageAverage',
  'ramByteRequestAverage',
  'ramByteUsageAverage',
] as const;

/** OpenCost's allocation for a day, or an error naming the first field that is not a cost. */
export function dailyCostOf(
  allocation: Partial<OpenCostAllocation>,
  day: string,
): DailyCost {
  const cost = { day } as DailyCost;
  for (const field of COST_FIELDS) {
    // GPU and load balancer costs are absent from allocations that have none.
    const value =
      allocation[field] ??
      (field.startsWith('gpu') || field.startsWith('loadBalancer')
        ? 0
        : undefined);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(
        `OpenCost's allocation ${
          allocation.name ?? '(unnamed)'
        } for ${day} has no valid ${field} (${String(value)})`,
      );
    }
    cost[field] = value;
  }
  return cost;
}

/** A cost split the way an engineer reads it; `other` (shared, external, adjustments) makes it add up. */
export interface CostBreakdown {
  total: number;
  cpu: number;
  memory: number;
  storage: number;
  network: number;
  gpu: number;
  loadBalancer: number;
  other: number;
}

export const BREAKDOWN_PARTS = [
  'cpu',
  'memory',
  'storage',
  'network',
  'gpu',
  'loadBalancer',
  'other',
] as const;

/**
 * The sum of the days' costs. Each part is summed with Neumaier's compensated summation, so that a
 * window's total equals the sum of its parts and of its sub-windows to the last few ulps.
 */
export function breakdownOf(days: DailyCost[]): CostBreakdown {
  const sum = (pick: (d: DailyCost) => number) =>
    compensatedSum(days.map(pick));
  const cpu = sum(d => d.cpuCost);
  const memory = sum(d => d.ramCost);
  const storage = sum(d => d.pvCost);
  const network = sum(d => d.networkCost);
  const gpu = sum(d => d.gpuCost);
  const loadBalancer = sum(d => d.loadBalancerCost);
  const total = sum(d => d.totalCost);
  const other =
    total - compensatedSum([cpu, memory, storage, network, gpu, loadBalancer]);
  return { total, cpu, memory, storage, network, gpu, loadBalancer, other };
}

export function compensatedSum(values: number[]): number {
  let sum = 0;
  let compensation = 0;
  for (const value of values) {
    const t = sum + value;
    compensation +=
      Math.abs(sum) >= Math.abs(value) ? sum - t + value : value - t + sum;
    sum = t;
  }
  return sum + compensation;
}
