/**
 * What a service costs: the opencost plugins' contract types, permission, client and the annotations
 * that find a service's costs.
 *
 * @packageDocumentation
 */
import type { components } from './schema/openapi.generated';

export type { paths, components } from './schema/openapi.generated';
export { createOpenCostApiClient } from './client';
export type { OpenCostApiClient } from './client';
export * from './annotations';
export * from './permissions';

type Schemas = components['schemas'];

/** When OpenCost was last synced; stale when that is too long ago. */
export type Freshness = Schemas['Freshness'];
export type CostBreakdown = Schemas['CostBreakdown'];
export type ServiceCosts = Schemas['ServiceCosts'];
/** OpenCost's allocation against the AWS bill, over the last settled week. */
export type AwsVariance = Schemas['AwsVariance'];
export type CostTrends = Schemas['CostTrends'];
export type CostChange = Schemas['CostChange'];
export type CostBenchmark = Schemas['CostBenchmark'];
export type RightSizing = Schemas['RightSizing'];
export type CostOverview = Schemas['CostOverview'];
