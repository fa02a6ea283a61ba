import {
  ActionProposal,
  AnswerMeta,
  AssistantSource,
  CachedSuggestion,
  ChatEvent,
} from '@internal/plugin-ai-assistant-common';

/** One question and its answer as it streams in. */
export interface Turn {
  question: string;
  entityRef?: string;
  sources: AssistantSource[];
  text: string;
  tools: Array<{ actionId: string; title: string; ok: boolean }>;
  proposals: ActionProposal[];
  answer?: AnswerMeta;
  error?: string;
  /** Helpful earlier answers to similar questions, when no provider could answer. */
  suggestions?: CachedSuggestion[];
  streaming: boolean;
}

export const newTurn = (question: string, entityRef?: string): Turn => ({
  question,
  ...(entityRef ? { entityRef } : {}),
  sources: [],
  text: '',
  tools: [],
  proposals: [],
  streaming: true,
});

/** The turn after one more event of its stream. */
export function withEvent(turn: Turn, event: ChatEvent): Turn {
  switch (event.type) {
    case 'sources':
      return { ...turn, sources: event.sources };
    case 'token':
      return { ...turn, text: turn.text + event.text };
    case 'tool':
      return { ...turn, tools: [...turn.tools, event] };
    case 'proposal':
      return { ...turn, proposals: [...turn.proposals, event.proposal] };
    case 'done':
      return { ...turn, answer: event.answer, streaming: false };
    case 'error':
      return {
        ...turn,
        error: event.message,
        ...(event.suggestions ? { suggestions: event.suggestions } : {}),
        streaming: false,
      };
    default:
      return turn;
  }
}

/** The answer's text with each [n] a link to source n (Markdown), so a citation opens its source. */
export function withCitationLinks(text: string, sources: AssistantSource[]) {
  const byId = new Map(sources.map(s => [s.id, s]));
  return text.replace(/\[(\d{1,3})\](?!\()/g, (marker, id) => {
    const source = byId.get(Number(id));
    return source ? `[[${id}]](${source.url})` : marker;
  });
}
