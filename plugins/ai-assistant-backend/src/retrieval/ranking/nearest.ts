/** Unit vectors of one length, laid end to end (what an in-process vector search scans). */
export interface VectorMatrix {
  dimensions: number;
  count: number;
  values: Float32Array;
}

/** The vector scaled to length 1 (all zeros stays all zeros). */
export function unitVector(vector: ArrayLike<number>): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const unit = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) unit[i] = vector[i] * scale;
  return unit;
}

/**
 * The `limit` rows most similar to the query (cosine) among those `accept` lets through, best first; equal
 * similarities in row order. One pass, keeping the best `limit` seen so far.
 */
export function nearest(
  matrix: VectorMatrix,
  query: ArrayLike<number>,
  limit: number,
  accept: (row: number) => boolean,
): Array<{ row: number; similarity: number }> {
  if (query.length !== matrix.dimensions || limit <= 0) return [];
  const unit = unitVector(query);
  const best: Array<{ row: number; similarity: number }> = [];
  const { dimensions, values } = matrix;
  for (let row = 0; row < matrix.count; row++) {
    let similarity = 0;
    const offset = row * dimensions;
    for (let i = 0; i < dimensions; i++) {
      similarity += values[offset + i] * unit[i];
    }
    if (
      best.length === limit &&
      similarity <= best[best.length - 1].similarity
    ) {
      continue;
    }
    if (!accept(row)) continue;
    let at = best.length;
    while (at > 0 && best[at - 1].similarity < similarity) at--;
    best.splice(at, 0, { row, similarity });
    if (best.length > limit) best.pop();
  }
  return best;
}
