import {
  phraseTrigramsOf,
  similarityOfTrigrams,
  trigramsOf,
  wordsOf,
} from './trigrams';

/** Below this similarity a word or title is not offered as what the person meant. */
export const MIN_SIMILARITY = 0.3;
const MAX_TERM_WORDS = 5;
/** Words shorter than this are not corrected: too many words are like them. */
const MIN_CORRECTED_LENGTH = 3;

/**
 * "Did you mean" for a query: the query with each unknown word replaced by the most similar word of the
 * indexed titles, then the titles most similar to that, best first, none equal to the query itself.
 */
export function suggestionsFor(
  term: string,
  titles: readonly string[],
  limit = 5,
): string[] {
  return suggestionsAndSpelling(term, titles, limit).suggestions;
}

/** The suggestions, and whether a word of the query is not in any title but like one (a typo). */
export function suggestionsAndSpelling(
  term: string,
  titles: readonly string[],
  limit = 5,
): { suggestions: string[]; misspelt: boolean } {
  const queryWords = wordsOf(term).slice(0, MAX_TERM_WORDS);
  if (queryWords.length === 0 || limit <= 0) {
    return { suggestions: [], misspelt: false };
  }
  const vocabulary = new Set(titles.flatMap(wordsOf));
  // Each word's trigrams once per call, and only words of a length that could be similar enough.
  const gramsOfWord = new Map<string, Set<string>>();
  const gramsOf = (word: string) => {
    let grams = gramsOfWord.get(word);
    if (!grams) {
      grams = trigramsOf(word);
      gramsOfWord.set(word, grams);
    }
    return grams;
  };
  const corrected = queryWords
    .map(word => {
      if (vocabulary.has(word) || word.length < MIN_CORRECTED_LENGTH) {
        return word;
      }
      const wordGrams = gramsOf(word);
      let best = word;
      let bestScore = MIN_SIMILARITY;
      for (const candidate of vocabulary) {
        if (Math.abs(candidate.length - word.length) > word.length) continue;
        const score = similarityOfTrigrams(wordGrams, gramsOf(candidate));
        if (
          score > bestScore ||
          (score === bestScore && best !== word && candidate < best)
        ) {
          best = candidate;
          bestScore = score;
        }
      }
      return best;
    })
    .join(' ');
  const asked = queryWords.join(' ');
  const misspelt = corrected !== asked;
  const correctedGrams = phraseTrigramsOf(corrected);
  const byTitle = titles
    .map(title => ({
      title,
      score: similarityOfTrigrams(correctedGrams, phraseTrigramsOf(title)),
    }))
    .filter(({ score }) => score >= MIN_SIMILARITY)
    .sort((a, b) => b.score - a.score || a.title.localeCompare(b.title))
    .map(({ title }) => title);
  // A title that reads as the corrected query is offered as itself (invoice-service, not invoice service).
  const correctedTitle = byTitle.find(
    title => wordsOf(title).join(' ') === corrected,
  );
  const suggestions: string[] = [];
  for (const suggestion of [correctedTitle ?? corrected, ...byTitle]) {
    const normalized = wordsOf(suggestion).join(' ');
    if (normalized === asked) continue;
    if (suggestions.some(s => wordsOf(s).join(' ') === normalized)) continue;
    suggestions.push(suggestion);
    if (suggestions.length >= limit) break;
  }
  return { suggestions, misspelt };
}
