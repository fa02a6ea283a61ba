/**
 * The AI assistant in the portal: the assistant page and a service's "Ask about this service" card.
 *
 * @packageDocumentation
 */
export { aiAssistantPlugin as default } from './plugin';
export { aiAssistantApiRef } from './api/AiAssistantClient';
export type { AiAssistantApi } from './api/AiAssistantClient';
