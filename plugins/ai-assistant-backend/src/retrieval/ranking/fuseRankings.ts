/** The constant of reciprocal rank fusion: how much the first places count more than the later ones. */
export const FUSION_K = 60;

/**
 * Reciprocal rank fusion of several rankings of the same kind of item (full-text and embeddings): each
 * item scores the sum of 1 / (k + its place) over the rankings it is in, so what both find comes first,
 * and no ranking's own scale matters. Equal scores keep the order in which the rankings first name them.
 */
export function fuseRankings<T>(
  rankings: T[][],
  keyOf: (item: T) => string,
  limit: number,
  k = FUSION_K,
): Array<{ item: T; score: number }> {
  const fused = new Map<string, { item: T; score: number; first: number }>();
  for (const ranking of rankings) {
    const placed = new Set<string>();
    for (let index = 0; index < ranking.length; index++) {
      const key = keyOf(ranking[index]);
      if (placed.has(key)) continue;
      placed.add(key);
      const share = 1 / (k + index + 1);
      const entry = fused.get(key);
      if (entry) entry.score += share;
      else {
        fused.set(key, {
          item: ranking[index],
          score: share,
          first: fused.size,
        });
      }
    }
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.first - b.first)
    .slice(0, Math.max(0, limit))
    .map(({ item, score }) => ({ item, score }));
}
