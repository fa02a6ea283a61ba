/**
 * What a service costs, on its page.
 *
 * @packageDocumentation
 */
export { opencostPlugin as default } from './plugin';
export { openCostApiRef } from './api/OpenCostClient';
export type { OpenCostApi } from './api/OpenCostClient';
