/**
 * A service's delivery and health signals as the portal normalises them, shared by the service-health
 * plugins (and the AIOps work that correlates them).
 *
 * @packageDocumentation
 */
import type { components } from './schema/openapi.generated';

export type { paths, components } from './schema/openapi.generated';
export { createServiceHealthApiClient } from './client';
export type { ServiceHealthApiClient } from './client';
export * from './annotations';
export * from './permissions';

type Schemas = components['schemas'];

/** How old an answer is; stale when the upstream failed and this is the last stored answer. */
export type Freshness = Schemas['Freshness'];
export type Deployment = Schemas['Deployment'];
export type SyncOperation = Schemas['SyncOperation'];
export type DeploymentHistoryEntry = Schemas['DeploymentHistoryEntry'];
export type DeploymentsSignal = Schemas['DeploymentsSignal'];
export type Monitor = Schemas['Monitor'];
export type MonitorsSignal = Schemas['MonitorsSignal'];
export type ErrorIssue = Schemas['ErrorIssue'];
export type ErrorsSignal = Schemas['ErrorsSignal'];
export type PullRequest = Schemas['PullRequest'];
export type WorkflowRun = Schemas['WorkflowRun'];
export type ChangesSignal = Schemas['ChangesSignal'];
