/** Where a piece of an answer comes from: what the [n] markers in the answer point at. */
export interface AssistantSource {
  /** The number the answer cites it by, from 1. */
  id: number;
  title: string;
  /** A path in the portal (/catalog/..., /docs/...) to open it. */
  url: string;
  kind: SourceKind;
  /** The entity it belongs to, when it belongs to one. */
  entityRef?: string;
  snippet: string;
}

export type SourceKind =
  | 'entity'
  | 'api'
  | 'techdocs'
  | 'feishu'
  | 'runbook'
  | 'incident'
  | 'answer'
  | 'operational';

export interface AnswerUsage {
  promptTokens: number;
  completionTokens: number;
}

/** Every answer says what produced it: it is AI-generated, always. */
export interface AnswerMeta {
  answerId: string;
  aiGenerated: true;
  provider: string;
  model: string;
  usage: AnswerUsage;
  latencyMs: number;
}

/** Something that would change things (run a workflow, sync, open a PR): it waits for the person. */
export interface ActionProposal {
  id: string;
  actionId: string;
  title: string;
  input: Record<string, unknown>;
  expiresAt: string;
}

/**
 * An answer someone found helpful for a similar question, offered when no provider can answer (the
 * design's "cached suggestions"): only ones whose sources the asker may all read.
 */
export interface CachedSuggestion {
  title: string;
  url: string;
  snippet: string;
}

/** The events of a streamed chat answer (server-sent events: `event: <type>`, `data: <json>`). */
export type ChatEvent =
  | { type: 'sources'; sources: AssistantSource[] }
  | { type: 'token'; text: string }
  | { type: 'tool'; actionId: string; title: string; ok: boolean }
  | { type: 'proposal'; proposal: ActionProposal }
  | { type: 'done'; answer: AnswerMeta }
  | { type: 'error'; message: string; suggestions?: CachedSuggestion[] };

/** One event as the SSE wire format carries it. */
export function formatChatEvent(event: ChatEvent): string {
  const { type, ...data } = event;
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** An SSE event back into a ChatEvent; undefined for events this version does not know. */
export function parseChatEvent(
  type: string,
  data: string,
): ChatEvent | undefined {
  const known = ['sources', 'token', 'tool', 'proposal', 'done', 'error'];
  if (!known.includes(type)) return undefined;
  return { type, ...JSON.parse(data) } as ChatEvent;
}
