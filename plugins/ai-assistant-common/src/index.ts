/**
 * The AI assistant's contract: permission, streamed chat events, and the pure cores both sides use (token
 * counts, context truncation by priority, freshness windows, chunking).
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './events';
export * from './tokens';
export * from './context/fitToBudget';
export * from './context/freshness';
export * from './chunking/chunkMarkdown';
export type { paths, components } from './schema/openapi.generated';
export { createAiAssistantApiClient } from './client';
export type { AiAssistantApiClient } from './client';
