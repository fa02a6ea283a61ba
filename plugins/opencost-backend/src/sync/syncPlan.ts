import { addDays, daysBetween } from '../costs/analysis';

/**
 * The days a sync fetches: every day of the last `backfillDays` before `today` that has not been synced,
 * and always the last `settleDays` (OpenCost's figures for a day keep changing a little after it ends).
 */
export function daysToSync(
  today: string,
  synced: Iterable<string>,
  backfillDays: number,
  settleDays: number,
): string[] {
  const done = new Set(synced);
  const settling = addDays(today, -settleDays);
  return daysBetween(addDays(today, -backfillDays), today).filter(
    day => !done.has(day) || day >= settling,
  );
}

/** Sorted days as runs of consecutive days, each at most `maxDays` long: one OpenCost request each. */
export function requestRanges(days: string[], maxDays: number): string[][] {
  const ranges: string[][] = [];
  for (const day of [...days].sort()) {
    const current = ranges[ranges.length - 1];
    if (
      current &&
      current.length < maxDays &&
      addDays(current[current.length - 1], 1) === day
    ) {
      current.push(day);
    } else {
      ranges.push([day]);
    }
  }
  return ranges;
}
