const DAY_MS = 86_400_000;

/** How much a document changed just now is lifted above an equally relevant one that never changes. */
export const RECENCY_WEIGHT = 0.3;
/** After this many days a change counts half as much. */
export const RECENCY_HALF_LIFE_DAYS = 30;

/**
 * The factor a document's relevance is multiplied by for how recently it changed: 1 + weight for a change
 * now, halving every half-life, 1 for a document whose change time is unknown.
 */
export function recencyFactor(lastModified: unknown, now = Date.now()) {
  if (typeof lastModified !== 'string') return 1;
  const changed = Date.parse(lastModified);
  if (Number.isNaN(changed)) return 1;
  const ageDays = Math.max(0, now - changed) / DAY_MS;
  return 1 + RECENCY_WEIGHT * 0.5 ** (ageDays / RECENCY_HALF_LIFE_DAYS);
}

/** The largest factor: a document changed just now. */
export const MAX_RECENCY_FACTOR = 1 + RECENCY_WEIGHT;

/**
 * The same factor in SQL, over an expression giving a document's lastModified (ISO 8601, as the change
 * decorator writes it). In double precision: `extract(epoch ...)` is numeric, and numeric powers cost
 * more than the whole text ranking.
 */
export function recencyFactorSql(lastModified: string) {
  return `(1 + ${RECENCY_WEIGHT}::float8 * CASE WHEN ${lastModified} ~ '^\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z$'
  THEN power(0.5::float8, greatest(0, extract(epoch from (now() - (${lastModified})::timestamptz))::float8) / 86400 / ${RECENCY_HALF_LIFE_DAYS})
  ELSE 0 END)`;
}
