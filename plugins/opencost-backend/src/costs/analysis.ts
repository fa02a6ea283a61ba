import {
  breakdownOf,
  compensatedSum,
  CostBreakdown,
  DailyCost,
} from './dailyCost';

const DAY_MS = 86_400_000;
const GIB = 1024 ** 3;
/** Hours in an average month, as cloud price lists count them. */
export const HOURS_PER_MONTH = 730;

/** YYYY-MM-DD of a date, UTC. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The day `days` after `day` (before, when negative). */
export function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

/** The days in [from, to), in order. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day < to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The days of the window [from, to). */
export function inWindow(days: DailyCost[], from: string, to: string) {
  return days.filter(d => d.day >= from && d.day < to);
}

/** What the service cost in [from, to): total, parts, and each day's total (oldest first). */
export function costOverWindow(days: DailyCost[], from: string, to: string) {
  const window = inWindow(days, from, to).sort((a, b) =>
    a.day.localeCompare(b.day),
  );
  return {
    from,
    to,
    breakdown: breakdownOf(window),
    daily: window.map(d => ({ day: d.day, ...breakdownOf([d]) })),
  };
}

export interface CostChange {
  current: number;
  previous: number;
  /** (current - previous) / previous; undefined when there was nothing before. */
  change?: number;
  /** The change is larger than the threshold either way. */
  flagged: boolean;
}

function changeBetween(
  current: number,
  previous: number,
  threshold: number,
): CostChange {
  if (previous <= 0) return { current, previous, flagged: false };
  const change = (current - previous) / previous;
  return { current, previous, change, flagged: Math.abs(change) > threshold };
}

/**
 * Week over week (the last 7 days up to `today`, exclusive, against the 7 before) and month over month
 * (30 days against the 30 before), flagged above `threshold` (0.2 = 20 %).
 */
export function trendsOf(days: DailyCost[], today: string, threshold: number) {
  const total = (from: string, to: string) =>
    compensatedSum(inWindow(days, from, to).map(d => d.totalCost));
  const over = (length: number) =>
    changeBetween(
      total(addDays(today, -length), today),
      total(addDays(today, -2 * length), addDays(today, -length)),
      threshold,
    );
  return { weekOverWeek: over(7), monthOverMonth: over(30), threshold };
}

/**
 * The percentage of `values` that are at most `value` (0-100): where a service stands among its peers.
 * Monotone: a higher value never ranks lower.
 */
export function percentileRank(value: number, values: number[]): number {
  if (values.length === 0) return 100;
  const atMost = values.filter(v => v <= value).length;
  return (100 * atMost) / values.length;
}

/** Unit prices the service paid: per CPU core-hour and per GiB-hour of memory. */
export function unitCostsOf(breakdown: CostBreakdown, days: DailyCost[]) {
  const coreHours = compensatedSum(days.map(d => d.cpuCoreHours));
  const gibHours = compensatedSum(days.map(d => d.ramByteHours)) / GIB;
  return {
    perCpuCoreHour: coreHours > 0 ? breakdown.cpu / coreHours : undefined,
    perGibHour: gibHours > 0 ? breakdown.memory / gibHours : undefined,
  };
}

export interface ResourceRecommendation {
  /** The average request over the days. */
  requested: number;
  /** The highest daily average usage seen. */
  peakUsage: number;
  /** Peak usage plus headroom: never less. */
  recommended: number;
  /** What lowering the request to the recommendation saves a month, at the price paid; 0 if none. */
  monthlySavings: number;
}

function recommend(
  requests: number[],
  usages: number[],
  headroom: number,
  pricePerUnitHour: number | undefined,
): ResourceRecommendation {
  const requested =
    requests.length > 0 ? compensatedSum(requests) / requests.length : 0;
  const peakUsage = usages.reduce((peak, u) => Math.max(peak, u), 0);
  const recommended = peakUsage * (1 + headroom);
  const monthlySavings =
    pricePerUnitHour !== undefined && requested > recommended
      ? (requested - recommended) * pricePerUnitHour * HOURS_PER_MONTH
      : 0;
  return { requested, peakUsage, recommended, monthlySavings };
}

/**
 * Right-sizing from requests against usage: CPU in cores and memory in bytes, each recommended at the
 * observed peak of the daily average usage plus `headroom` (0.3 = 30 %), with the monthly saving.
 */
export function rightSizingOf(days: DailyCost[], headroom: number) {
  const breakdown = breakdownOf(days);
  const prices = unitCostsOf(breakdown, days);
  const cpu = recommend(
    days.map(d => d.cpuCoreRequestAverage),
    days.map(d => d.cpuCoreUsageAverage),
    headroom,
    prices.perCpuCoreHour,
  );
  const memory = recommend(
    days.map(d => d.ramByteRequestAverage),
    days.map(d => d.ramByteUsageAverage),
    headroom,
    prices.perGibHour === undefined ? undefined : prices.perGibHour / GIB,
  );
  return {
    headroom,
    cpu,
    memory,
    monthlySavings: cpu.monthlySavings + memory.monthlySavings,
  };
}
