/**
 * One JSON request to an upstream, as every backend plugin's clients make it.
 *
 * @packageDocumentation
 */
export { upstreamJson } from './upstreamJson';
export type { UpstreamRequest } from './upstreamJson';
