import { countTokens, decode, encode } from 'gpt-tokenizer';

/** Special tokens (<|endoftext|>, <|im_start|>, ...) in text are counted as the text they are. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * The tokenizer's byte-pair merging costs the square of a word's length, so text is counted in pieces of
 * at most this many characters, cut at whitespace where there is some. Cutting a word can only add
 * tokens (no merge crosses a cut), so counts stay on the safe side of a budget.
 */
const PIECE_CHARS = 512;

function* piecesOf(text: string) {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + PIECE_CHARS);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start) end = space;
    }
    yield text.slice(start, end);
    start = end;
  }
}

/** Tokens of a text as OpenAI's o200k tokenizer (GPT-4o and later) counts them; other models' are close. */
export function tokensOf(text: string): number {
  let tokens = 0;
  for (const piece of piecesOf(text)) tokens += countTokens(piece, AS_TEXT);
  return tokens;
}

/** The longest start of a text (in whole pieces, then tokens) that is at most `maxTokens` tokens. */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return '';
  let kept = '';
  let used = 0;
  for (const piece of piecesOf(text)) {
    const tokens = countTokens(piece, AS_TEXT);
    if (used + tokens <= maxTokens) {
      kept += piece;
      used += tokens;
      continue;
    }
    // Decoding a cut through a multi-byte character leaves a replacement character: drop it.
    let cut = decode(encode(piece, AS_TEXT).slice(0, maxTokens - used));
    while (
      cut.endsWith('\uFFFD') ||
      countTokens(cut, AS_TEXT) > maxTokens - used
    ) {
      cut = cut.slice(0, -1);
    }
    return kept + cut;
  }
  return kept;
}
