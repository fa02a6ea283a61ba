/** A window [start, end) of a text. */
export interface TextChunk {
  start: number;
  end: number;
}

/**
 * Windows of at most `size` characters that cover a text of `length` characters, each starting `overlap`
 * characters before the previous one ends, so that any run of up to `overlap + 1` characters lies wholly
 * inside one window. A detector that scans one window at a time then still sees every secret of that length
 * whole, wherever the window borders fall.
 */
export function overlappingChunks(
  length: number,
  size: number,
  overlap: number,
): TextChunk[] {
  if (!Number.isInteger(size) || !Number.isInteger(overlap)) {
    throw new RangeError('chunk size and overlap must be integers');
  }
  if (overlap < 0 || size <= overlap) {
    throw new RangeError('chunk size must be larger than the overlap');
  }
  const step = size - overlap;
  const chunks: TextChunk[] = [];
  for (let start = 0; ; start += step) {
    const end = Math.min(start + size, length);
    chunks.push({ start, end });
    if (end >= length) {
      return chunks;
    }
  }
}
