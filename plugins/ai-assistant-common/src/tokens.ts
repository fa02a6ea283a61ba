import { countTokens, decode, encode } from 'gpt-tokenizer';

/** Tokens of a text as OpenAI's o200k tokenizer (GPT-4o and later) counts them; other models' are close. */
export function tokensOf(text: string): number {
  return text === '' ? 0 : countTokens(text);
}

/** The longest start of a text that is at most `maxTokens` tokens. */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return '';
  const tokens = encode(text);
  if (tokens.length <= maxTokens) return text;
  // Decoding a cut through a multi-byte character leaves a replacement character: drop it.
  let cut = decode(tokens.slice(0, maxTokens));
  while (cut.endsWith('\uFFFD') || tokensOf(cut) > maxTokens) {
    cut = cut.slice(0, -1);
  }
  return cut;
}
