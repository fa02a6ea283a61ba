/**
 * The service page's delivery and health signals.
 *
 * @packageDocumentation
 */
export { serviceHealthPlugin as default } from './plugin';
