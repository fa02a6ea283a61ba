import fc from 'fast-check';
import { FRESHNESS_WINDOW_DAYS, withinFreshnessWindow } from './freshness';

const NOW = Date.UTC(2026, 11, 5);
const DAY = 86_400_000;

describe('withinFreshnessWindow', () => {
  it('takes what happened inside its window and nothing older, later than now or undated', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('logs', 'metrics', 'incidents' as const),
        fc.integer({ min: -10 * DAY, max: 200 * DAY }),
        (window, age) => {
          const at = new Date(NOW - age).toISOString();
          expect(withinFreshnessWindow(window, at, NOW)).toBe(
            age >= 0 && age <= FRESHNESS_WINDOW_DAYS[window] * DAY,
          );
        },
      ),
    );
    expect(withinFreshnessWindow('logs', undefined, NOW)).toBe(false);
    expect(withinFreshnessWindow('logs', 'last week', NOW)).toBe(false);
  });
});
