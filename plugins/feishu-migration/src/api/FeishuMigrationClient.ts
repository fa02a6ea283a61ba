import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DriveFolderSummary,
  MigrationJob,
  MigrationJobDetails,
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
  preview(
    request: PreviewRequest & { entityRef: string },
  ): Promise<PreviewResponse>;
  startMigration(request: MigrationRequest): Promise<MigrationJob>;
  listMigrations(query: {
    entityRef?: string;
    limit?: number;
    offset?: number;
  }): Promise<{ items: MigrationJob[]; totalItems: number }>;
  getMigration(id: string): Promise<MigrationJobDetails>;
  rollback(id: string): Promise<MigrationJob>;
  retry(id: string): Promise<MigrationJob>;
}

export const feishuMigrationApiRef = createApiRef<FeishuMigrationApi>({
  id: 'plugin.feishu-migration',
});

export class FeishuMigrationClient implements FeishuMigrationApi {
  constructor(
    private readonly discoveryApi: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('feishu-migration');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  private post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async listSpaces(entityRef: string) {
    const query = new URLSearchParams({ entityRef });
    return (
      await this.request<{ items: WikiSpaceSummary[] }>(`/spaces?${query}`)
    ).items;
  }

  async listNodes(entityRef: string, spaceId: string) {
    const query = new URLSearchParams({ entityRef });
    return (
      await this.request<{ items: WikiTreeNode[] }>(
        `/spaces/${encodeURIComponent(spaceId)}/nodes?${query}`,
      )
    ).items;
  }

  async listFolders(entityRef: string) {
    const query = new URLSearchParams({ entityRef });
    return (
      await this.request<{ items: DriveFolderSummary[] }>(`/folders?${query}`)
    ).items;
  }

  async listFolderFiles(entityRef: string, folderToken: string) {
    const query = new URLSearchParams({ entityRef });
    return (
      await this.request<{ items: WikiTreeNode[] }>(
        `/folders/${encodeURIComponent(folderToken)}/files?${query}`,
      )
    ).items;
  }

  preview(request: PreviewRequest & { entityRef: string }) {
    return this.post<PreviewResponse>('/preview', request);
  }

  startMigration(request: MigrationRequest) {
    return this.post<MigrationJob>('/migrations', request);
  }

  listMigrations(query: {
    entityRef?: string;
    limit?: number;
    offset?: number;
  }) {
    const params = new URLSearchParams();
    if (query.entityRef) params.set('entityRef', query.entityRef);
    if (query.limit) params.set('limit', String(query.limit));
    if (query.offset) params.set('offset', String(query.offset));
    return this.request<{ items: MigrationJob[]; totalItems: number }>(
      `/migrations?${params}`,
    );
  }

  getMigration(id: string) {
    return this.request<MigrationJobDetails>(
      `/migrations/${encodeURIComponent(id)}`,
    );
  }

  rollback(id: string) {
    return this.post<MigrationJob>(
      `/migrations/${encodeURIComponent(id)}/rollback`,
    );
  }

  retry(id: string) {
    return this.post<MigrationJob>(
      `/migrations/${encodeURIComponent(id)}/retry`,
    );
  }
}
