const DAY_MS = 86_400_000;

/**
 * How far back each kind of operational data is worth telling the assistant (the design's AIContext
 * freshness): errors and log lines for a week, monitors and metrics for a month, deployments and incidents
 * for a quarter.
 */
export const FRESHNESS_WINDOW_DAYS = {
  logs: 7,
  metrics: 30,
  incidents: 90,
} as const;

export type FreshnessWindow = keyof typeof FRESHNESS_WINDOW_DAYS;

/** Whether something that happened at `at` is inside its window at `now`; an unknown time is not. */
export function withinFreshnessWindow(
  window: FreshnessWindow,
  at: string | Date | undefined,
  now: number = Date.now(),
): boolean {
  if (at === undefined) return false;
  const time = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(time)) return false;
  return time <= now && now - time <= FRESHNESS_WINDOW_DAYS[window] * DAY_MS;
}

/** The design's dataFreshness labels, e.g. last_7d. */
export function freshnessLabels(): Record<FreshnessWindow, string> {
  return {
    logs: `last_${FRESHNESS_WINDOW_DAYS.logs}d`,
    metrics: `last_${FRESHNESS_WINDOW_DAYS.metrics}d`,
    incidents: `last_${FRESHNESS_WINDOW_DAYS.incidents}d`,
  };
}
