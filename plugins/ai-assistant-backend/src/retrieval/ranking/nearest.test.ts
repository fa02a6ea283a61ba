import fc from 'fast-check';
import { nearest, unitVector, VectorMatrix } from './nearest';

/** Vectors of one length as a matrix of unit rows. */
function matrixOf(
  vectors: ArrayLike<number>[],
  dimensions: number,
): VectorMatrix {
  const values = new Float32Array(vectors.length * dimensions);
  vectors.forEach((vector, row) => {
    if (vector.length !== dimensions) {
      throw new Error(
        `A vector of ${vector.length} numbers among vectors of ${dimensions}`,
      );
    }
    values.set(unitVector(vector), row * dimensions);
  });
  return { dimensions, count: vectors.length, values };
}

const cosine = (a: number[], b: number[]) => {
  const dot = a.reduce((sum, x, i) => sum + x * b[i], 0);
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return norm(a) && norm(b) ? dot / (norm(a) * norm(b)) : 0;
};

const DIMENSIONS = 6;
const vector = fc.array(fc.integer({ min: -9, max: 9 }), {
  minLength: DIMENSIONS,
  maxLength: DIMENSIONS,
});

describe('nearest', () => {
  it('gives exactly the most similar accepted rows, best first, as a full sort would', () => {
    fc.assert(
      fc.property(
        fc.array(vector, { maxLength: 40 }),
        vector,
        fc.integer({ min: 1, max: 10 }),
        fc.func(fc.boolean()),
        (vectors, query, limit, acceptOf) => {
          const accepted = (row: number) => acceptOf(row);
          const found = nearest(
            matrixOf(vectors, DIMENSIONS),
            query,
            limit,
            accepted,
          );
          const expected = vectors
            .map((v, row) => ({ row, similarity: cosine(v, query) }))
            .filter(({ row }) => accepted(row))
            .sort((a, b) => b.similarity - a.similarity || a.row - b.row)
            .slice(0, limit);
          expect(found.map(f => f.similarity)).toEqual(
            expected.map(e => expect.closeTo(e.similarity, 5)),
          );
          for (const { row } of found) expect(accepted(row)).toBe(true);
        },
      ),
    );
  });

  it('finds nothing for a query of another length', () => {
    expect(nearest(matrixOf([[1, 0]], 2), [1, 0, 0], 3, () => true)).toEqual(
      [],
    );
  });
});
