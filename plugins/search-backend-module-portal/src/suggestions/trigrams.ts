/** The words of a text, lower-cased, split at anything that is not a letter or a digit. */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** A word's trigrams as pg_trgm makes them: padded with two blanks before and one after. */
export function trigramsOf(word: string): Set<string> {
  const padded = `  ${word} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++)
    grams.add(padded.slice(i, i + 3));
  return grams;
}

/** The trigrams of every word of a phrase. */
export function phraseTrigramsOf(text: string): Set<string> {
  const all = new Set<string>();
  for (const word of wordsOf(text)) trigramsOf(word).forEach(g => all.add(g));
  return all;
}

/** Shared trigrams over all trigrams of two sets (0 to 1). */
export function similarityOfTrigrams(x: Set<string>, y: Set<string>): number {
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  x.forEach(g => {
    if (y.has(g)) shared++;
  });
  return shared / (x.size + y.size - shared);
}

/** pg_trgm's similarity of two phrases: shared trigrams over all trigrams of their words (0 to 1). */
export function trigramSimilarity(a: string, b: string): number {
  const x = phraseTrigramsOf(a);
  const y = phraseTrigramsOf(b);
  if (x.size === 0 && y.size === 0) return a === b ? 1 : 0;
  return similarityOfTrigrams(x, y);
}
