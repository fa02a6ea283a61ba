/**
 * What other backend plugins use of the security plugin: the sensitive-content filter (in process), the
 * audit trail and access checks with approval consumption (over HTTP to the security backend).
 *
 * @packageDocumentation
 */
export * from './services';
export { SensitiveActionGate } from './SensitiveActionGate';
export type { SensitiveActionRequest } from './SensitiveActionGate';
export { filterSensitiveContent } from './redaction/filterSensitiveContent';
export type { SensitiveContentFilterOptions } from './redaction/filterSensitiveContent';
export {
  readableRefsOf,
  readableEntitiesOf,
  cachedReadableRefsOf,
  cachedReadableEntitiesOf,
  READABLE_REFS_TTL_MS,
} from './readableRefs';
