import fc from 'fast-check';
import {
  BreakerPolicy,
  breakerAfter,
  claimTrial,
  CLOSED,
  positionOf,
} from './breaker';

const policy: BreakerPolicy = {
  failureThreshold: 3,
  openMs: 30_000,
  trialMs: 5_000,
};

type Step = { outcome: 'success' | 'failure' | 'trial'; advanceMs: number };
const steps = fc.array(
  fc.record({
    outcome: fc.constantFrom(
      'success' as const,
      'failure' as const,
      'trial' as const,
    ),
    advanceMs: fc.integer({ min: 0, max: 40_000 }),
  }),
  { maxLength: 40 },
);

describe('the provider breaker', () => {
  it('opens exactly when the threshold of failures in a row is reached, and any success closes it', () => {
    fc.assert(
      fc.property(steps, (sequence: Step[]) => {
        let state = CLOSED;
        let now = 0;
        let inARow = 0;
        const seen: object[] = [];
        const wanted: object[] = [];
        for (const step of sequence) {
          now += step.advanceMs;
          if (step.outcome === 'trial') {
            // Only a half-open breaker gives a trial, and while it runs the breaker is open to everyone else.
            const halfOpen = positionOf(state, now) === 'half-open';
            const claimed = claimTrial(state, now, policy);
            seen.push({
              trial: !!claimed,
              then: claimed && positionOf(claimed, now),
            });
            wanted.push({
              trial: halfOpen,
              then: halfOpen ? 'open' : undefined,
            });
            state = claimed ?? state;
          } else {
            const before = state;
            state = breakerAfter(state, step.outcome, now, policy);
            inARow = step.outcome === 'success' ? 0 : inARow + 1;
            let openUntil = before.openUntil;
            if (step.outcome === 'success') openUntil = null;
            else if (inARow >= policy.failureThreshold)
              openUntil = now + policy.openMs;
            seen.push(state);
            wanted.push({ failures: inARow, openUntil });
          }
        }
        expect(seen).toEqual(wanted);
      }),
    );
  });

  it('lets a request through again once it has been open for openMs', () => {
    let state = CLOSED;
    for (let i = 0; i < 3; i++)
      state = breakerAfter(state, 'failure', 1000, policy);
    expect(positionOf(state, 1000 + policy.openMs - 1)).toBe('open');
    expect(positionOf(state, 1000 + policy.openMs)).toBe('half-open');
  });
});
