import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { responseData } from '@internal/api-client';
import {
  createFeishuMigrationApiClient,
  DriveFolderSummary,
  MigrationJob,
  MigrationJobDetails,
  MigrationJobPage,
  MigrationRequest,
  PreviewRequest,
  PreviewResponse,
  WikiSpaceSummary,
  WikiTreeNode,
} from '@internal/plugin-feishu-migration-common';

export interface FeishuMigrationApi {
  listSpaces(entityRef: string): Promise<WikiSpaceSummary[]>;
  listNodes(entityRef: string, spaceId: string): Promise<WikiTreeNode[]>;
  listFolders(entityRef: string): Promise<DriveFolderSummary[]>;
  listFolderFiles(
    entityRef: string,
    folderToken: string,
  ): Promise<WikiTreeNode[]>;
  preview(request: PreviewRequest): Promise<PreviewResponse>;
  startMigration(request: MigrationRequest): Promise<MigrationJob>;
  listMigrations(query: {
    entityRef?: string;
    limit?: number;
    offset?: number;
  }): Promise<MigrationJobPage>;
  getMigration(id: string): Promise<MigrationJobDetails>;
  rollback(id: string): Promise<MigrationJob>;
  retry(id: string): Promise<MigrationJob>;
}

export const feishuMigrationApiRef = createApiRef<FeishuMigrationApi>({
  id: 'plugin.feishu-migration',
});

/** The Feishu migration backend's API through the client generated from its openapi.yaml. */
export class FeishuMigrationClient implements FeishuMigrationApi {
  constructor(
    private readonly discoveryApi: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  private async client() {
    return createFeishuMigrationApiClient(
      await this.discoveryApi.getBaseUrl('feishu-migration'),
      (url, init) => this.fetchApi.fetch(url, init),
    );
  }

  async listSpaces(entityRef: string) {
    const { items } = await responseData(
      (
        await this.client()
      ).GET('/spaces', {
        params: { query: { entityRef } },
      }),
    );
    return items;
  }

  async listNodes(entityRef: string, spaceId: string) {
    const { items } = await responseData(
      (
        await this.client()
      ).GET('/spaces/{spaceId}/nodes', {
        params: { query: { entityRef }, path: { spaceId } },
      }),
    );
    return items;
  }

  async listFolders(entityRef: string) {
    const { items } = await responseData(
      (
        await this.client()
      ).GET('/folders', {
        params: { query: { entityRef } },
      }),
    );
    return items;
  }

  async listFolderFiles(entityRef: string, folderToken: string) {
    const { items } = await responseData(
      (
        await this.client()
      ).GET('/folders/{folderToken}/files', {
        params: { query: { entityRef }, path: { folderToken } },
      }),
    );
    return items;
  }

  async preview(request: PreviewRequest) {
    return responseData(
      (await this.client()).POST('/preview', { body: request }),
    );
  }

  async startMigration(request: MigrationRequest) {
    return responseData(
      (await this.client()).POST('/migrations', { body: request }),
    );
  }

  async listMigrations(query: {
    entityRef?: string;
    limit?: number;
    offset?: number;
  }) {
    return responseData(
      (await this.client()).GET('/migrations', {
        params: {
          query: {
            ...(query.entityRef ? { entityRef: query.entityRef } : {}),
            ...(query.limit ? { limit: query.limit } : {}),
            ...(query.offset ? { offset: query.offset } : {}),
          },
        },
      }),
    );
  }

  async getMigration(id: string) {
    return responseData(
      (await this.client()).GET('/migrations/{id}', {
        params: { path: { id } },
      }),
    );
  }

  async rollback(id: string) {
    return responseData(
      (await this.client()).POST('/migrations/{id}/rollback', {
        params: { path: { id } },
      }),
    );
  }

  async retry(id: string) {
    return responseData(
      (await this.client()).POST('/migrations/{id}/retry', {
        params: { path: { id } },
      }),
    );
  }
}
