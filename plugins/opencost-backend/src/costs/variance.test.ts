import fc from 'fast-check';
import { costVariancesOf, varianceOf } from './variance';

const money = fc.double({
  min: 0.01,
  max: 1e6,
  noNaN: true,
  noDefaultInfinity: true,
});
const WINDOW = { from: '2026-11-24', to: '2026-12-01' };

describe('varianceOf', () => {
  it('is 0 when OpenCost matches the bill and does not depend on the unit', () => {
    fc.assert(
      fc.property(
        money,
        money,
        fc.double({ min: 0.001, max: 1000, noNaN: true }),
        (a, b, k) => {
          expect(varianceOf(a, a)).toBe(0);
          const scaled = varianceOf(k * a, k * b);
          const original = varianceOf(a, b);
          expect(Math.abs(scaled - original)).toBeLessThanOrEqual(
            1e-9 * Math.max(1, original),
          );
        },
      ),
    );
  });

  it('grows as OpenCost moves away from the bill in either direction', () => {
    fc.assert(
      fc.property(money, money, money, (aws, near, further) => {
        const d1 = Math.min(near, further);
        const d2 = Math.max(near, further);
        expect(varianceOf(aws + d1, aws)).toBeLessThanOrEqual(
          varianceOf(aws + d2, aws),
        );
        expect(varianceOf(Math.max(0, aws - d1), aws)).toBeLessThanOrEqual(
          varianceOf(Math.max(0, aws - d2), aws) + 1e-12,
        );
      }),
    );
  });
});

describe('costVariancesOf', () => {
  it('flags exactly the services whose totals differ by more than the threshold, summing each side', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.stringMatching(/^[a-z][a-z-]{0,12}$/),
          fc.record({
            opencost: fc.array(money, { minLength: 1, maxLength: 7 }),
            aws: fc.array(money, { minLength: 1, maxLength: 7 }),
          }),
          { maxKeys: 20 },
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (services, threshold) => {
          const entries = Object.entries(services);
          const variances = costVariancesOf(
            new Map(entries.map(([n, s]) => [n, s.opencost])),
            new Map(entries.map(([n, s]) => [n, s.aws])),
            WINDOW,
            threshold,
          );
          expect(variances.map(v => v.name)).toEqual(
            entries.map(([n]) => n).sort((a, b) => a.localeCompare(b)),
          );
          for (const v of variances) {
            const { opencost, aws } = services[v.name];
            const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
            expect(v.opencost).toBeCloseTo(sum(opencost), 6);
            expect(v.aws).toBeCloseTo(sum(aws), 6);
            expect(v.flagged).toBe(v.variance > threshold);
            expect(v).toMatchObject(WINDOW);
          }
        },
      ),
    );
  });

  it('leaves out what only one side knows, and a bill of nothing', () => {
    const variances = costVariancesOf(
      new Map([
        ['only-in-cluster', [10]],
        ['both', [100, 100]],
        ['not-billed', [5]],
      ]),
      new Map([
        ['only-in-aws', [10]],
        ['both', [110, 105]],
        ['not-billed', [0]],
      ]),
      WINDOW,
      0.05,
    );
    expect(variances).toEqual([
      {
        name: 'both',
        ...WINDOW,
        opencost: 200,
        aws: 215,
        variance: 15 / 215,
        flagged: true,
      },
    ]);
  });
});
