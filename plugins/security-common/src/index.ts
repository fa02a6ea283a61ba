/**
 * Permissions and types shared by the security plugin's frontend and backend, and by every
 * plugin that performs a sensitive action.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
