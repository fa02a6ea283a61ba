import { tokensOf, truncateToTokens } from '../tokens';

export interface TextChunk {
  /** The nearest heading above the chunk, if any. */
  heading?: string;
  text: string;
}

const HEADING = /^#{1,6}[ \t]+(.*)$/;
const FENCE = /^\s*(```|~~~)/;

/** Paragraphs of one section; a fenced code block is one paragraph even with blank lines inside. */
function blocksOf(lines: string[]): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let inFence = false;
  const flush = () => {
    if (current.some(line => line.trim() !== ''))
      blocks.push(current.join('\n'));
    current = [];
  };
  for (const line of lines) {
    if (FENCE.test(line)) inFence = !inFence;
    if (!inFence && line.trim() === '') flush();
    else current.push(line);
  }
  flush();
  return blocks;
}

/** A block longer than the limit, in pieces within it: by sentences, then words, then tokens. */
function piecesOf(block: string, maxTokens: number): string[] {
  if (tokensOf(block) <= maxTokens) return [block];
  const sentences = block.split(/(?<=[.!?])\s+/);
  const units =
    sentences.length > 1 ? sentences : block.split(/\s+/).filter(Boolean);
  if (units.length === 1) {
    const pieces: string[] = [];
    let rest = units[0];
    while (rest !== '') {
      const piece = truncateToTokens(rest, maxTokens) || rest.slice(0, 1);
      pieces.push(piece);
      rest = rest.slice(piece.length);
    }
    return pieces;
  }
  return pack(
    units.flatMap(unit => piecesOf(unit, maxTokens)),
    maxTokens,
    ' ',
  );
}

function pack(parts: string[], maxTokens: number, separator: string) {
  const packed: string[] = [];
  let current = '';
  for (const part of parts) {
    const joined = current === '' ? part : `${current}${separator}${part}`;
    if (tokensOf(joined) <= maxTokens) {
      current = joined;
    } else {
      if (current !== '') packed.push(current);
      current = part;
    }
  }
  if (current !== '') packed.push(current);
  return packed;
}

/**
 * Markdown cut into retrieval chunks of at most `maxTokens` tokens each: section by section (a chunk
 * never spans two headings), whole paragraphs where they fit.
 */
export function chunkMarkdown(
  markdown: string,
  maxTokens: number,
): TextChunk[] {
  const chunks: TextChunk[] = [];
  let heading: string | undefined;
  let section: string[] = [];
  let inFence = false;
  const flush = () => {
    const blocks = blocksOf(section).flatMap(block =>
      piecesOf(block, maxTokens),
    );
    for (const text of pack(blocks, maxTokens, '\n\n')) {
      chunks.push(heading === undefined ? { text } : { heading, text });
    }
    section = [];
  };
  for (const line of markdown.split('\n')) {
    if (FENCE.test(line)) inFence = !inFence;
    const match = inFence ? null : HEADING.exec(line);
    if (match) {
      flush();
      heading = match[1].trim();
    } else {
      section.push(line);
    }
  }
  flush();
  return chunks;
}
