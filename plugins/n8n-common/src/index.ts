/**
 * Self-service n8n workflows: the n8n plugins' contract types, permission, client, run status rules and the
 * annotation that names an entity's workflows.
 *
 * @packageDocumentation
 */
import type { components } from './schema/openapi.generated';

export type { paths, components } from './schema/openapi.generated';
export { createN8nApiClient } from './client';
export type { N8nApiClient } from './client';
export * from './annotations';
export * from './permissions';
export * from './runStatus';

type Schemas = components['schemas'];

export type WorkflowAction = Schemas['WorkflowAction'];
export type WorkflowRun = Schemas['WorkflowRun'];
export type EntityWorkflow = Schemas['EntityWorkflow'];
export type RunCallback = Schemas['RunCallback'];

/** The signals channel a user's run updates arrive on. */
export const N8N_RUNS_CHANNEL = 'n8n:runs';
