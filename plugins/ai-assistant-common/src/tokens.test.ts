import fc from 'fast-check';
import { tokensOf, truncateToTokens } from './tokens';

describe('token counts', () => {
  it('count a long unbroken run, and special-token text as text', () => {
    // Counted whole, such a run takes the tokenizer tens of seconds (its merging is quadratic).
    expect(tokensOf('a'.repeat(100_000))).toBeGreaterThan(0);
    expect(truncateToTokens('b'.repeat(100_000), 50).length).toBeGreaterThan(0);
    expect(tokensOf('before <|endoftext|> after <|im_start|>')).toBeGreaterThan(
      5,
    );
  });

  it('truncate to a start of the text within the budget', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 3000 }),
        fc.integer({ min: 0, max: 400 }),
        (text, max) => {
          const cut = truncateToTokens(text, max);
          expect(text.startsWith(cut)).toBe(true);
          expect(tokensOf(cut)).toBeLessThanOrEqual(max);
          // A text within the budget is kept whole.
          expect(tokensOf(text) > max || cut === text).toBe(true);
        },
      ),
    );
  });
});
