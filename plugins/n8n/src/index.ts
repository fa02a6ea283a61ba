/**
 * Self-service n8n workflows in the portal: the Workflows page and a service's workflows card.
 *
 * @packageDocumentation
 */
export { n8nPlugin as default } from './plugin';
export { n8nApiRef } from './api/N8nClient';
export type { N8nApi } from './api/N8nClient';
