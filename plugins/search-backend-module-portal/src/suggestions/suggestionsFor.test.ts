import fc from 'fast-check';
import { suggestionsAndSpelling, suggestionsFor } from './suggestionsFor';
import { trigramSimilarity } from './trigrams';

const TITLES = [
  'ledger-service',
  'invoice-service',
  'Invoice API',
  'payment-gateway',
  'Ledger reconciliation',
  'tax-calculator',
  'team-billing',
];

describe('suggestionsFor', () => {
  it('corrects misspelt names to the indexed ones', () => {
    expect(suggestionsFor('ledgr', TITLES)).toEqual(
      expect.arrayContaining(['ledger']),
    );
    expect(suggestionsFor('ledgr', TITLES)).toContain('ledger-service');
    const invoice = suggestionsFor('invoce service', TITLES);
    expect(invoice[0]).toBe('invoice-service');
    expect(suggestionsFor('paymnt gatway', TITLES)).toContain(
      'payment-gateway',
    );
  });

  it('tells a misspelt query from one whose words are all indexed', () => {
    expect(suggestionsAndSpelling('invoce service', TITLES).misspelt).toBe(
      true,
    );
    expect(suggestionsAndSpelling('invoice service', TITLES).misspelt).toBe(
      false,
    );
    expect(suggestionsAndSpelling('zzzzqqq', TITLES).misspelt).toBe(false);
  });

  it('suggests nothing for a query that is already right, or unlike anything', () => {
    expect(suggestionsFor('ledger service', TITLES)).not.toContain(
      'ledger service',
    );
    expect(suggestionsFor('zzzzqqq', TITLES)).toEqual([]);
    expect(suggestionsFor('', TITLES)).toEqual([]);
  });

  it('trigram similarity is symmetric, between 0 and 1, and 1 for the same words', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const s = trigramSimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(trigramSimilarity(b, a)).toBeCloseTo(s, 12);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,12}$/), a => {
        expect(trigramSimilarity(a, a)).toBe(1);
      }),
    );
  });

  it('only ever suggests titles it was given or words from them, at most the limit', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 100 }),
        fc.array(fc.string({ maxLength: 40 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 8 }),
        (term, titles, limit) => {
          const suggestions = suggestionsFor(term, titles, limit);
          expect(suggestions.length).toBeLessThanOrEqual(limit);
          const words = new Set(
            titles.flatMap(t => t.toLowerCase().split(/[^\p{L}\p{N}]+/u)),
          );
          for (const suggestion of suggestions) {
            const fromTitles = titles.includes(suggestion);
            const fromWords = suggestion.split(' ').every(
              w =>
                words.has(w) ||
                term
                  .toLowerCase()
                  .split(/[^\p{L}\p{N}]+/u)
                  .includes(w),
            );
            expect(fromTitles || fromWords).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
