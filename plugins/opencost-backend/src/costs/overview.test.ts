import fc from 'fast-check';
import {
  costOverviewOf,
  OverviewSort,
  servicesPageOf,
  ServiceTotal,
  TOP_MOVERS,
} from './overview';

const money = fc.double({
  min: 0,
  max: 1e6,
  noNaN: true,
  noDefaultInfinity: true,
});
const anyRows = fc.uniqueArray(
  fc.record({
    entityRef: fc.stringMatching(/^component:default\/[a-z]{1,8}$/),
    title: fc.string({ maxLength: 10 }),
    owner: fc.constantFrom(
      'group:default/a',
      'group:default/b',
      'group:default/c',
    ),
    type: fc.constantFrom('service', 'website'),
    total: money,
    previous: money,
  }),
  { selector: row => row.entityRef, maxLength: 40 },
);

describe('cost overview', () => {
  it("each team's total is the sum of its services, and every service is in exactly one team", () => {
    fc.assert(
      fc.property(anyRows, (rows: ServiceTotal[]) => {
        const { services, teams } = costOverviewOf(rows);
        expect(services).toHaveLength(rows.length);
        expect(teams.reduce((n, t) => n + t.services, 0)).toBe(rows.length);
        for (const team of teams) {
          const sum = rows
            .filter(r => r.owner === team.owner)
            .reduce((s, r) => s + r.total, 0);
          expect(Math.abs(team.total - sum)).toBeLessThanOrEqual(
            1e-9 * Math.max(sum, 1),
          );
        }
      }),
    );
  });

  it('lists services most expensive first, and no mover changed less than one it left out', () => {
    fc.assert(
      fc.property(anyRows, (rows: ServiceTotal[]) => {
        const { services, topMovers } = costOverviewOf(rows);
        services
          .slice(1)
          .forEach((row, i) =>
            expect(row.total).toBeLessThanOrEqual(services[i].total),
          );
        expect(topMovers.length).toBeLessThanOrEqual(TOP_MOVERS);
        const moved = (r: ServiceTotal) => Math.abs(r.total - r.previous);
        const leftOut = services.filter(
          r =>
            r.previous > 0 && !topMovers.some(m => m.entityRef === r.entityRef),
        );
        for (const mover of topMovers) {
          for (const other of leftOut)
            expect(moved(mover)).toBeGreaterThanOrEqual(moved(other));
        }
      }),
    );
  });

  it('pages through every matching service once, in order, whatever the sort and page size', () => {
    fc.assert(
      fc.property(
        anyRows,
        fc.constantFrom(
          'total',
          'previous',
          'change',
          'title',
          'owner',
          'type',
        ) as fc.Arbitrary<OverviewSort>,
        fc.constantFrom('asc', 'desc') as fc.Arbitrary<'asc' | 'desc'>,
        fc.integer({ min: 1, max: 15 }),
        fc.constantFrom(undefined, 'a', 'WEB', 'zz'),
        (rows: ServiceTotal[], sort, order, limit, q) => {
          const { services } = costOverviewOf(rows);
          const first = servicesPageOf(services, { sort, order, limit, q });
          const pages: typeof first.services = [];
          for (let offset = 0; offset < first.totalServices; offset += limit) {
            pages.push(
              ...servicesPageOf(services, { sort, order, limit, offset, q })
                .services,
            );
          }
          expect(pages).toHaveLength(first.totalServices);
          expect(new Set(pages.map(r => r.entityRef)).size).toBe(pages.length);
          const needle = q?.toLowerCase();
          for (const row of services) {
            const matches =
              !needle ||
              [row.entityRef, row.title, row.owner, row.type].some(f =>
                f.toLowerCase().includes(needle),
              );
            expect(pages.some(r => r.entityRef === row.entityRef)).toBe(
              matches,
            );
          }
          const inOrder = (
            a: (typeof pages)[number],
            b: (typeof pages)[number],
          ) => {
            const sign = order === 'asc' ? 1 : -1;
            if (sort === 'change') {
              if (a.change === undefined) return b.change === undefined;
              return (
                b.change === undefined || sign * (b.change - a.change) >= 0
              );
            }
            if (sort === 'total' || sort === 'previous') {
              return sign * (b[sort] - a[sort]) >= 0;
            }
            return sign * b[sort].localeCompare(a[sort]) >= 0;
          };
          expect(pages.slice(1).every((row, i) => inOrder(pages[i], row))).toBe(
            true,
          );
        },
      ),
    );
  });
});
