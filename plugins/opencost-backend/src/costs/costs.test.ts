import fc from 'fast-check';
import {
  addDays,
  costOverWindow,
  daysBetween,
  percentileRank,
  rightSizingOf,
  trendsOf,
} from './analysis';
import {
  BREAKDOWN_PARTS,
  breakdownOf,
  DailyCost,
  dailyCostOf,
} from './dailyCost';

const ZERO = {
  cpuCost: 0,
  ramCost: 0,
  pvCost: 0,
  networkCost: 0,
  gpuCost: 0,
  loadBalancerCost: 0,
  totalCost: 0,
  cpuCoreHours: 0,
  ramByteHours: 0,
  cpuCoreRequestAverage: 0,
  cpuCoreUsageAverage: 0,
  ramByteRequestAverage: 0,
  ramByteUsageAverage: 0,
};

const FIRST_DAY = '2026-08-01';
const money = fc.double({
  min: 0,
  max: 1e5,
  noNaN: true,
  noDefaultInfinity: true,
});
const amount = fc.double({
  min: 0,
  max: 1e12,
  noNaN: true,
  noDefaultInfinity: true,
});

/** A day's allocation; its total is its parts plus shared/external costs, as OpenCost's is. */
const anyDay = (day: string) =>
  fc
    .record({
      cpuCost: money,
      ramCost: money,
      pvCost: money,
      networkCost: money,
      gpuCost: money,
      loadBalancerCost: money,
      sharedCost: money,
      cpuCoreHours: amount,
      ramByteHours: amount,
      cpuCoreRequestAverage: fc.double({ min: 0, max: 64, noNaN: true }),
      cpuCoreUsageAverage: fc.double({ min: 0, max: 64, noNaN: true }),
      ramByteRequestAverage: amount,
      ramByteUsageAverage: amount,
    })
    .map(({ sharedCost, ...a }) =>
      dailyCostOf(
        {
          ...a,
          totalCost:
            a.cpuCost +
            a.ramCost +
            a.pvCost +
            a.networkCost +
            a.gpuCost +
            a.loadBalancerCost +
            sharedCost,
        },
        day,
      ),
    );

/** A service's days from FIRST_DAY, some of them missing (an outage), in any order. */
const anyHistory = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 119 }), fc.boolean()), {
    maxLength: 120,
  })
  .chain(picks => {
    const days = [
      ...new Set(picks.map(([offset]) => addDays(FIRST_DAY, offset))),
    ];
    return fc.tuple(...days.map(anyDay)) as fc.Arbitrary<DailyCost[]>;
  });

const relativeError = (a: number, b: number) =>
  Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);

describe('cost aggregations', () => {
  it('a breakdown adds up to its total (relative error < 1e-9)', () => {
    fc.assert(
      fc.property(anyHistory, days => {
        const breakdown = breakdownOf(days);
        const parts = BREAKDOWN_PARTS.map(part => breakdown[part]).reduce(
          (a, b) => a + b,
          0,
        );
        expect(relativeError(parts, breakdown.total)).toBeLessThan(1e-9);
      }),
    );
  });

  it('costs over [a, c) are costs over [a, b) plus [b, c)', () => {
    fc.assert(
      fc.property(
        anyHistory,
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 120 }),
        (days, x, y, z) => {
          const [a, b, c] = [x, y, z]
            .sort((p, q) => p - q)
            .map(n => addDays(FIRST_DAY, n));
          const whole = costOverWindow(days, a, c).breakdown;
          const left = costOverWindow(days, a, b).breakdown;
          const right = costOverWindow(days, b, c).breakdown;
          // Relative to the window's total: `other` is a remainder, so near zero its own scale is noise.
          for (const part of ['total', ...BREAKDOWN_PARTS] as const) {
            expect(
              Math.abs(left[part] + right[part] - whole[part]),
            ).toBeLessThanOrEqual(1e-9 * Math.max(whole.total, 1e-12));
          }
        },
      ),
    );
  });

  it('a window lists each of its days once, in order, and nothing outside it', () => {
    fc.assert(
      fc.property(
        anyHistory,
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 60 }),
        (days, start, length) => {
          const from = addDays(FIRST_DAY, start);
          const to = addDays(from, length);
          const listed = costOverWindow(days, from, to).daily.map(d => d.day);
          const window = new Set(daysBetween(from, to));
          expect(listed).toEqual(
            days
              .map(d => d.day)
              .filter(d => window.has(d))
              .sort(),
          );
        },
      ),
    );
  });

  it('a right-sizing recommendation never goes below the observed peak usage plus headroom', () => {
    fc.assert(
      fc.property(
        anyHistory,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (days, headroom) => {
          const { cpu, memory, monthlySavings } = rightSizingOf(days, headroom);
          for (const [resource, usage] of [
            [cpu, days.map(d => d.cpuCoreUsageAverage)],
            [memory, days.map(d => d.ramByteUsageAverage)],
          ] as const) {
            const peak = Math.max(0, ...usage);
            expect(resource.recommended).toBeGreaterThanOrEqual(
              peak * (1 + headroom),
            );
            expect(resource.monthlySavings).toBeGreaterThanOrEqual(0);
          }
          expect(monthlySavings).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('percentile ranks are monotone: a higher cost never ranks lower', () => {
    fc.assert(
      fc.property(
        fc.array(money, { maxLength: 50 }),
        money,
        money,
        (peers, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(percentileRank(low, peers)).toBeLessThanOrEqual(
            percentileRank(high, peers),
          );
          expect(percentileRank(high, peers)).toBeGreaterThanOrEqual(0);
          expect(percentileRank(high, peers)).toBeLessThanOrEqual(100);
        },
      ),
    );
  });

  it('flags a change larger than the threshold either way, and not a smaller one', () => {
    const today = '2026-10-31';
    const week = (total: number, from: string) =>
      daysBetween(from, addDays(from, 7)).map(day => ({
        ...dailyCostOf({ ...ZERO, totalCost: total }, day),
      }));
    const days = [
      ...week(100, addDays(today, -14)),
      ...week(125, addDays(today, -7)),
    ];
    expect(trendsOf(days, today, 0.2).weekOverWeek).toEqual({
      current: 875,
      previous: 700,
      change: 0.25,
      flagged: true,
    });
    expect(trendsOf(days, today, 0.3).weekOverWeek.flagged).toBe(false);
    const falling = [
      ...week(100, addDays(today, -14)),
      ...week(70, addDays(today, -7)),
    ];
    expect(trendsOf(falling, today, 0.2).weekOverWeek).toMatchObject({
      flagged: true,
    });
    expect(
      trendsOf(week(50, addDays(today, -7)), today, 0.2).weekOverWeek,
    ).toEqual({
      current: 350,
      previous: 0,
      flagged: false,
    });
  });

  it('refuses an allocation with a cost that is not a number', () => {
    expect(() =>
      dailyCostOf(
        { ...ZERO, name: 'billing', totalCost: Number.NaN },
        '2026-10-01',
      ),
    ).toThrow(
      "OpenCost's allocation billing for 2026-10-01 has no valid totalCost (NaN)",
    );
    expect(() => dailyCostOf({ ...ZERO, cpuCost: -1 }, '2026-10-01')).toThrow(
      /cpuCost/,
    );
  });
});
