import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { responseData } from '@internal/api-client';
import {
  createN8nApiClient,
  EntityWorkflow,
  WorkflowAction,
  WorkflowRun,
} from '@internal/plugin-n8n-common';

export interface N8nApi {
  listActions(): Promise<WorkflowAction[]>;
  startAction(
    actionId: string,
    input: Record<string, unknown>,
  ): Promise<WorkflowRun>;
  /** The caller's runs, newest first. */
  listRuns(): Promise<WorkflowRun[]>;
  listEntityWorkflows(entityRef: string): Promise<EntityWorkflow[]>;
  startEntityWorkflow(
    entityRef: string,
    workflow: string,
  ): Promise<WorkflowRun>;
}

export const n8nApiRef = createApiRef<N8nApi>({ id: 'plugin.n8n' });

/** The n8n backend through the client generated from its openapi.yaml. */
export class N8nClient implements N8nApi {
  constructor(
    private readonly discoveryApi: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  private async client() {
    return createN8nApiClient(
      await this.discoveryApi.getBaseUrl('n8n'),
      (url, init) => this.fetchApi.fetch(url, init),
    );
  }

  async listActions() {
    return (await responseData((await this.client()).GET('/actions'))).items;
  }

  async startAction(actionId: string, input: Record<string, unknown>) {
    return responseData(
      (await this.client()).POST('/actions/{actionId}/runs', {
        params: { path: { actionId } },
        body: { input },
      }),
    );
  }

  async listRuns() {
    return (
      await responseData(
        (
          await this.client()
        ).GET('/runs', { params: { query: { limit: 50 } } }),
      )
    ).items;
  }

  async listEntityWorkflows(entityRef: string) {
    return (
      await responseData(
        (
          await this.client()
        ).GET('/entity-workflows', {
          params: { query: { entityRef } },
        }),
      )
    ).items;
  }

  async startEntityWorkflow(entityRef: string, workflow: string) {
    return responseData(
      (await this.client()).POST('/entity-workflows/runs', {
        body: { entityRef, workflow },
      }),
    );
  }
}
