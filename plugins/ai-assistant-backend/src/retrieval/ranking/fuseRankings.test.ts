import fc from 'fast-check';
import { fuseRankings } from './fuseRankings';

const ranking = fc.uniqueArray(fc.constantFrom(...'abcdefghijklmnop'), {
  maxLength: 12,
});

describe('fuseRankings', () => {
  it('returns each item once, only items of the rankings, as many as asked or all there are', () => {
    fc.assert(
      fc.property(
        fc.array(ranking, { maxLength: 4 }),
        fc.nat(20),
        (rankings, limit) => {
          const fused = fuseRankings(rankings, x => x, limit).map(f => f.item);
          const all = new Set(rankings.flat());
          expect(new Set(fused).size).toBe(fused.length);
          for (const item of fused) expect(all.has(item)).toBe(true);
          expect(fused.length).toBe(Math.min(limit, all.size));
        },
      ),
    );
  });

  it('puts an item no lower than another when it is placed no lower in every ranking and is in each the other is in', () => {
    fc.assert(
      fc.property(
        fc.array(ranking, { minLength: 1, maxLength: 4 }),
        rankings => {
          const fused = fuseRankings(rankings, x => x, 100).map(f => f.item);
          const placeIn = (r: string[], x: string) =>
            r.indexOf(x) < 0 ? Infinity : r.indexOf(x);
          const dominates = (a: string, b: string) =>
            a !== b &&
            rankings.every(
              r =>
                placeIn(r, a) < placeIn(r, b) ||
                (placeIn(r, a) === Infinity && placeIn(r, b) === Infinity),
            );
          const outOfOrder = fused.flatMap(a =>
            fused
              .filter(
                b => dominates(a, b) && fused.indexOf(a) > fused.indexOf(b),
              )
              .map(b => `${a} after ${b}`),
          );
          expect(outOfOrder).toEqual([]);
        },
      ),
    );
  });

  it('ranks what both rankings found above what only one found at the same place', () => {
    const fused = fuseRankings(
      [
        ['only-text', 'both'],
        ['only-vector', 'both'],
      ],
      x => x,
      3,
    ).map(f => f.item);
    expect(fused[0]).toBe('both');
  });
});
