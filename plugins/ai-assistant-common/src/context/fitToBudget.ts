import { tokensOf, truncateToTokens } from '../tokens';

/** One piece of what the assistant is told: a service fact, a document chunk, a deployment, an error. */
export interface ContextItem {
  id: string;
  /** Higher is kept first and cut last. */
  priority: number;
  text: string;
  /** A start of a document still helps; a fact is kept whole or not at all. */
  truncatable: boolean;
}

export interface FittedItem extends ContextItem {
  tokens: number;
  truncated: boolean;
}

export interface FitOptions {
  /** Tokens between two items in the prompt (their separator). */
  separatorTokens?: number;
  /** A truncated item shorter than this says too little to be worth its place. */
  minTruncatedTokens?: number;
}

/**
 * The items that fit a token budget, highest priority first (equal priorities keep their order). An item that
 * does not fit is cut to what remains when it is truncatable, and left out otherwise; lower-priority items
 * that still fit are then considered, so a long document does not push out every short fact after it.
 */
export function fitToBudget(
  items: ContextItem[],
  budgetTokens: number,
  { separatorTokens = 2, minTruncatedTokens = 24 }: FitOptions = {},
): { kept: FittedItem[]; dropped: ContextItem[]; tokens: number } {
  const ordered = items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => b.item.priority - a.item.priority || a.index - b.index)
    .map(({ item }) => item);
  const kept: FittedItem[] = [];
  const dropped: ContextItem[] = [];
  let remaining = Math.max(0, Math.floor(budgetTokens));
  for (const item of ordered) {
    const room = remaining - separatorTokens;
    const tokens = tokensOf(item.text);
    if (tokens <= room) {
      kept.push({ ...item, tokens, truncated: false });
      remaining -= tokens + separatorTokens;
    } else if (item.truncatable && room >= minTruncatedTokens) {
      const text = truncateToTokens(item.text, room);
      const cutTokens = tokensOf(text);
      kept.push({ ...item, text, tokens: cutTokens, truncated: true });
      remaining -= cutTokens + separatorTokens;
    } else {
      dropped.push(item);
    }
  }
  return { kept, dropped, tokens: Math.floor(budgetTokens) - remaining };
}
