import { compensatedSum } from './dailyCost';

/** OpenCost's and AWS's figures for one service over the same days. */
export interface CostVariance {
  name: string;
  /** First and last (exclusive) day compared. */
  from: string;
  to: string;
  opencost: number;
  aws: number;
  /** |OpenCost − AWS| / AWS: how far the allocation is from the bill. */
  variance: number;
  flagged: boolean;
}

/** How far OpenCost's figure is from AWS's bill, relative to the bill; 0 when both are 0. */
export function varianceOf(opencost: number, aws: number): number {
  if (aws === 0) return opencost === 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.abs(opencost - aws) / Math.abs(aws);
}

/**
 * The services both sides know over [from, to): each with its totals and flagged when they differ by
 * more than `threshold`. A service that only one side has (not tagged in AWS, not running in the cluster)
 * (or that AWS bills nothing) is left out: that is a tagging question, not a variance.
 */
export function costVariancesOf(
  opencostDays: Map<string, number[]>,
  awsDays: Map<string, number[]>,
  window: { from: string; to: string },
  threshold: number,
): CostVariance[] {
  const variances: CostVariance[] = [];
  for (const [name, opencostAmounts] of opencostDays) {
    const awsAmounts = awsDays.get(name);
    if (!awsAmounts?.length || !opencostAmounts.length) continue;
    const opencost = compensatedSum(opencostAmounts);
    const aws = compensatedSum(awsAmounts);
    if (aws <= 0) continue;
    const variance = varianceOf(opencost, aws);
    variances.push({
      name,
      ...window,
      opencost,
      aws,
      variance,
      flagged: variance > threshold,
    });
  }
  return variances.sort((a, b) => a.name.localeCompare(b.name));
}
