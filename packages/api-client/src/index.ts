/**
 * Typed fetch clients over the `paths` type a plugin generates from its openapi.yaml
 * (`yarn openapi:generate`), so a client never casts a response.
 *
 * @packageDocumentation
 */
export { createApiClient, responseData } from './createApiClient';
export type { ApiClient, FetchFunction } from './createApiClient';
