/**
 * What each service costs, from OpenCost.
 *
 * @packageDocumentation
 */
export { opencostPlugin as default } from './plugin';
