import fc from 'fast-check';
import { tokensOf } from '../tokens';
import { ContextItem, fitToBudget } from './fitToBudget';

const WORDS = [
  'deploy',
  'invoice',
  'ledger',
  'timeout',
  'retry',
  '500',
  'p99',
  'κόσμε',
  '🚀',
  '\n',
];

const item = (id: number) =>
  fc.record({
    id: fc.constant(`item-${id}`),
    priority: fc.integer({ min: 0, max: 5 }),
    text: fc
      .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 120 })
      .map(words => words.join(' ')),
    truncatable: fc.boolean(),
  });

const items = fc
  .integer({ min: 0, max: 12 })
  .chain(n => fc.tuple(...Array.from({ length: n }, (_, i) => item(i))))
  .map(list => list as ContextItem[]);

const SEPARATOR = 2;
const MIN_TRUNCATED = 24;

describe('fitToBudget', () => {
  it('never exceeds the budget, counting every kept item and its separator', () => {
    fc.assert(
      fc.property(items, fc.integer({ min: 0, max: 600 }), (list, budget) => {
        const { kept, tokens } = fitToBudget(list, budget);
        const used = kept.reduce(
          (sum, k) => sum + tokensOf(k.text) + SEPARATOR,
          0,
        );
        expect(used).toBe(tokens);
        expect(used).toBeLessThanOrEqual(budget);
      }),
    );
  });

  it('keeps the highest-priority items first: an item is left out only when it could not fit at its turn', () => {
    fc.assert(
      fc.property(items, fc.integer({ min: 0, max: 600 }), (list, budget) => {
        const { kept, dropped } = fitToBudget(list, budget);
        expect(kept.length + dropped.length).toBe(list.length);
        // Kept items come in priority order.
        for (let i = 1; i < kept.length; i++) {
          expect(kept[i - 1].priority).toBeGreaterThanOrEqual(kept[i].priority);
        }
        for (const left of dropped) {
          // What was kept before it (higher priority, or equal and earlier in the input).
          const before = kept.filter(
            k =>
              k.priority > left.priority ||
              (k.priority === left.priority &&
                list.findIndex(i => i.id === k.id) <
                  list.findIndex(i => i.id === left.id)),
          );
          const room =
            budget -
            before.reduce((sum, k) => sum + k.tokens + SEPARATOR, 0) -
            SEPARATOR;
          expect(tokensOf(left.text)).toBeGreaterThan(room);
          // A truncatable item is left out only when what remained was too little to cut it to.
          expect(!left.truncatable || room < MIN_TRUNCATED).toBe(true);
        }
      }),
    );
  });

  it('keeps the single highest-priority item whenever it fits, whole or cut to a start of itself', () => {
    fc.assert(
      fc.property(items, fc.integer({ min: 0, max: 600 }), (list, budget) => {
        fc.pre(list.length > 0);
        const top = [...list].sort((a, b) => b.priority - a.priority)[0];
        const { kept } = fitToBudget(list, budget);
        const fits = tokensOf(top.text) + SEPARATOR <= budget;
        const cuttable = top.truncatable && budget - SEPARATOR >= MIN_TRUNCATED;
        fc.pre(fits || cuttable);
        expect(kept[0].id).toBe(top.id);
        expect(top.text.startsWith(kept[0].text)).toBe(true);
        expect(kept[0].truncated).toBe(!fits);
      }),
    );
  });
});
