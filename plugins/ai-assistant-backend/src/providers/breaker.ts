/** A provider's breaker as every replica sees it (stored in the database). */
export interface BreakerState {
  /** Failures in a row since the last success. */
  failures: number;
  /** Until when requests skip the provider (epoch ms); null while closed. */
  openUntil: number | null;
}

export interface BreakerPolicy {
  failureThreshold: number;
  openMs: number;
  /** How long a half-open breaker's one trial request has before another replica may try. */
  trialMs: number;
}

export type BreakerPosition = 'closed' | 'open' | 'half-open';

export const CLOSED: BreakerState = { failures: 0, openUntil: null };

export function positionOf(state: BreakerState, now: number): BreakerPosition {
  if (state.openUntil === null) return 'closed';
  return now < state.openUntil ? 'open' : 'half-open';
}

/** The breaker after a request's outcome: any success closes it; the threshold's failure opens it. */
export function breakerAfter(
  state: BreakerState,
  outcome: 'success' | 'failure',
  now: number,
  policy: BreakerPolicy,
): BreakerState {
  if (outcome === 'success') return CLOSED;
  const failures = state.failures + 1;
  return {
    failures,
    openUntil:
      failures >= policy.failureThreshold
        ? now + policy.openMs
        : state.openUntil,
  };
}

/**
 * Taking a half-open breaker's one trial: it stays open (for trialMs) to everyone else meanwhile. Returns
 * undefined when the breaker is not half-open (closed needs no trial; open allows none).
 */
export function claimTrial(
  state: BreakerState,
  now: number,
  policy: BreakerPolicy,
): BreakerState | undefined {
  if (positionOf(state, now) !== 'half-open') return undefined;
  return { ...state, openUntil: now + policy.trialMs };
}
