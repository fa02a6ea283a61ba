/**
 * The service page's delivery and health cards.
 *
 * @packageDocumentation
 */
export { serviceHealthPlugin as default } from './plugin';
export { serviceHealthApiRef } from './api/ServiceHealthClient';
export type { ServiceHealthApi } from './api/ServiceHealthClient';
