/**
 * Permissions and types shared by the security plugin's frontend and backend, and by every
 * plugin that performs a sensitive action.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
export * from './ownership';
export type { paths, components } from './schema/openapi.generated';
export { createSecurityApiClient } from './client';
export type { SecurityApiClient } from './client';
