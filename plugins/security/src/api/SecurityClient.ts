import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { responseData } from '@internal/api-client';
import {
  AccessGrant,
  ApprovalPage,
  ApprovalRequest,
  ApprovalStatus,
  AuditPage,
  createSecurityApiClient,
  paths,
  SensitiveAction,
  UserAccess,
} from '@internal/plugin-security-common';

export type { ApprovalPage } from '@internal/plugin-security-common';
export type MyAccess = UserAccess;
export type AuditFilters = NonNullable<
  paths['/audit']['get']['parameters']['query']
>;

export interface SecurityApi {
  getMyAccess(): Promise<MyAccess>;
  listApprovals(
    view: 'inbox' | 'mine',
    statuses?: ApprovalStatus[],
    cursor?: string,
  ): Promise<ApprovalPage>;
  requestApproval(input: {
    action: SensitiveAction;
    entityRef: string;
    justification: string;
  }): Promise<ApprovalRequest>;
  decideApproval(
    id: string,
    decision: 'approve' | 'deny',
    reason: string,
  ): Promise<ApprovalRequest>;
  queryAudit(filters: AuditFilters): Promise<AuditPage>;
  /** Active grants: the caller's own, everyone's for admins. */
  listGrants(): Promise<AccessGrant[]>;
  revokeGrant(id: string, reason: string): Promise<AccessGrant>;
}

export const securityApiRef = createApiRef<SecurityApi>({
  id: 'plugin.security',
});

/** The security backend's API through the client generated from its openapi.yaml. */
export class SecurityClient implements SecurityApi {
  constructor(
    private readonly discoveryApi: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  private async client() {
    return createSecurityApiClient(
      await this.discoveryApi.getBaseUrl('security'),
      (url, init) => this.fetchApi.fetch(url, init),
    );
  }

  async getMyAccess(): Promise<MyAccess> {
    return responseData((await this.client()).GET('/access/me'));
  }

  /** Newest first, 50 at a time; pass the previous page's nextCursor for older ones. */
  async listApprovals(
    view: 'inbox' | 'mine',
    statuses?: ApprovalStatus[],
    cursor?: string,
  ): Promise<ApprovalPage> {
    return responseData(
      (await this.client()).GET('/approvals', {
        params: {
          query: {
            view,
            ...(statuses?.length ? { status: statuses } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
        querySerializer: { array: { style: 'form', explode: false } },
      }),
    );
  }

  async requestApproval(input: {
    action: SensitiveAction;
    entityRef: string;
    justification: string;
  }): Promise<ApprovalRequest> {
    return responseData(
      (await this.client()).POST('/approvals', { body: input }),
    );
  }

  async decideApproval(
    id: string,
    decision: 'approve' | 'deny',
    reason: string,
  ): Promise<ApprovalRequest> {
    return responseData(
      (await this.client()).POST('/approvals/{id}/decision', {
        params: { path: { id } },
        body: { decision, reason },
      }),
    );
  }

  async queryAudit(filters: AuditFilters): Promise<AuditPage> {
    const query = Object.fromEntries(
      Object.entries(filters).filter(
        ([, value]) => value !== undefined && value !== '',
      ),
    );
    return responseData(
      (await this.client()).GET('/audit', { params: { query } }),
    );
  }

  async listGrants(): Promise<AccessGrant[]> {
    return (
      await responseData(
        (
          await this.client()
        ).GET('/grants', {
          params: { query: { active: true } },
        }),
      )
    ).items;
  }

  async revokeGrant(id: string, reason: string): Promise<AccessGrant> {
    return responseData(
      (await this.client()).POST('/grants/{id}/revoke', {
        params: { path: { id } },
        body: { reason },
      }),
    );
  }
}
