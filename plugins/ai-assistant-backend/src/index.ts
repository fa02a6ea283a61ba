/**
 * The AI assistant's backend: providers with failover, retrieval in the database, chat and the structured
 * capabilities, feedback and proposals.
 *
 * @packageDocumentation
 */
export { aiAssistantPlugin as default } from './plugin';
