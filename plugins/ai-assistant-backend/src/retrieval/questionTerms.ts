/** At most this many words of a question are searched for. */
export const MAX_QUESTION_TERMS = 32;

/** The words of a question as search terms: letters and digits only, lowercased, each at most 40 long. */
export function questionTerms(question: string): string[] {
  const words = question.toLowerCase().match(/[\p{L}\p{N}]{2,40}/gu) ?? [];
  return [...new Set(words)].slice(0, MAX_QUESTION_TERMS);
}
