import fc from 'fast-check';
import { overlappingChunks } from './chunks';

describe('overlappingChunks', () => {
  it('covers a short text with one window and refuses an overlap as large as the window', () => {
    expect(overlappingChunks(10, 64, 8)).toEqual([{ start: 0, end: 10 }]);
    expect(overlappingChunks(0, 64, 8)).toEqual([{ start: 0, end: 0 }]);
    expect(() => overlappingChunks(10, 8, 8)).toThrow(RangeError);
  });

  it('property: windows stay within the text and their size, and every run of up to overlap + 1 characters lies inside one window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        fc.nat(),
        (length, overlap, extra, at, runLength) => {
          const size = overlap + extra;
          const chunks = overlappingChunks(length, size, overlap);
          for (const chunk of chunks) {
            expect(chunk.start).toBeGreaterThanOrEqual(0);
            expect(chunk.end).toBeLessThanOrEqual(length);
            expect(chunk.end - chunk.start).toBeLessThanOrEqual(size);
          }
          expect(chunks[0].start).toBe(0);
          expect(chunks[chunks.length - 1].end).toBe(length);
          if (length === 0) {
            return;
          }
          const start = at % length;
          const end = Math.min(length, start + 1 + (runLength % (overlap + 1)));
          expect(
            chunks.some(chunk => chunk.start <= start && end <= chunk.end),
          ).toBe(true);
        },
      ),
    );
  });
});
