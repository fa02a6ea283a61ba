import fc from 'fast-check';
import { InputError } from '@backstage/errors';
import { searchQueryOf } from './searchQueryOf';

describe('searchQueryOf', () => {
  it('reads term, types and filters as the search page sends them', () => {
    expect(
      searchQueryOf({
        term: 'ledger',
        types: ['techdocs'],
        filters: { kind: 'Component', tags: ['java', 'payments'] },
      }),
    ).toEqual({
      term: 'ledger',
      types: ['techdocs'],
      filters: { kind: 'Component', tags: ['java', 'payments'] },
    });
    expect(searchQueryOf({ types: { 0: 'software-catalog' } })).toEqual({
      term: '',
      types: ['software-catalog'],
    });
  });

  it('answers anything else with a 400 that says what is wrong, never another error', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('term', 'types', 'filters', 'other'),
          fc.anything(),
        ),
        query => {
          let thrown: unknown;
          try {
            searchQueryOf(query);
          } catch (error) {
            thrown = error;
          }
          expect(thrown === undefined || thrown instanceof InputError).toBe(
            true,
          );
        },
      ),
      { numRuns: 500 },
    );
    expect(() => searchQueryOf({ term: 'x'.repeat(101) })).toThrow(
      'at most 100',
    );
    expect(() => searchQueryOf({ filters: { 'a b': 'x' } })).toThrow(
      'is not a field name',
    );
  });
});
