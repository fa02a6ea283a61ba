import fc from 'fast-check';
import { RECENCY_WEIGHT, recencyFactor } from './recency';

const NOW = Date.UTC(2026, 11, 4);
const DAY = 86_400_000;

describe('recencyFactor', () => {
  it('lifts a newer change at least as much as an older one, between 1 and 1 + the weight', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3650 * DAY }),
        fc.integer({ min: 0, max: 3650 * DAY }),
        (ageA, ageB) => {
          const a = recencyFactor(new Date(NOW - ageA).toISOString(), NOW);
          const b = recencyFactor(new Date(NOW - ageB).toISOString(), NOW);
          for (const f of [a, b]) {
            expect(f).toBeGreaterThanOrEqual(1);
            expect(f).toBeLessThanOrEqual(1 + RECENCY_WEIGHT);
          }
          const [newer, older] = ageA <= ageB ? [a, b] : [b, a];
          expect(newer).toBeGreaterThanOrEqual(older);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never reorders results by more than the weight: relevance twice as high always stays ahead', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 100, noNaN: true }),
        fc.integer({ min: 0, max: 3650 * DAY }),
        fc.integer({ min: 0, max: 3650 * DAY }),
        (relevance, ageHigh, ageLow) => {
          const high =
            2 *
            relevance *
            recencyFactor(new Date(NOW - ageHigh).toISOString(), NOW);
          const low =
            relevance *
            recencyFactor(new Date(NOW - ageLow).toISOString(), NOW);
          expect(high).toBeGreaterThan(low);
        },
      ),
    );
  });

  it('treats an unknown or unreadable change time as no lift', () => {
    expect(recencyFactor(undefined, NOW)).toBe(1);
    expect(recencyFactor('yesterday', NOW)).toBe(1);
    expect(recencyFactor(new Date(NOW).toISOString(), NOW)).toBeCloseTo(
      1 + RECENCY_WEIGHT,
    );
  });
});
