import fc from 'fast-check';
import { addDays } from '../costs/analysis';
import { daysToSync, requestRanges } from './syncPlan';

const TODAY = '2026-12-03';
const anySynced = fc
  .array(fc.integer({ min: 1, max: 120 }), { maxLength: 120 })
  .map(offsets => offsets.map(n => addDays(TODAY, -n)));

describe('sync plan', () => {
  it('fetches every missing day of the backfill and the settling days, nothing else', () => {
    fc.assert(
      fc.property(
        anySynced,
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 3 }),
        (synced, backfill, settle) => {
          const days = daysToSync(TODAY, synced, backfill, settle);
          for (let n = 1; n <= backfill; n++) {
            const day = addDays(TODAY, -n);
            expect(days.includes(day)).toBe(
              !synced.includes(day) || n <= settle,
            );
          }
          expect(
            days.every(day => day < TODAY && day >= addDays(TODAY, -backfill)),
          ).toBe(true);
        },
      ),
    );
  });

  it('asks for each day once, in runs of consecutive days no longer than the limit', () => {
    fc.assert(
      fc.property(
        anySynced,
        fc.integer({ min: 1, max: 40 }),
        (days, maxDays) => {
          const unique = [...new Set(days)];
          const ranges = requestRanges(unique, maxDays);
          expect(ranges.flat()).toEqual([...unique].sort());
          for (const range of ranges) {
            expect(range.length).toBeLessThanOrEqual(maxDays);
            range
              .slice(1)
              .forEach((day, i) => expect(day).toBe(addDays(range[i], 1)));
          }
        },
      ),
    );
  });
});
