import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AccessResult,
  ApprovalRequest,
  ApprovalStatus,
  AuditRecord,
  Role,
  SensitiveAction,
} from '@internal/plugin-security-common';

export interface MyAccess {
  userRef: string;
  role: Role;
  groups: string[];
  actions: Record<SensitiveAction, AccessResult>;
}

export interface AuditFilters {
  actor?: string;
  action?: string;
  entity?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface ApprovalPage {
  items: ApprovalRequest[];
  nextCursor?: string;
}

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
  queryAudit(
    filters: AuditFilters,
  ): Promise<{ items: AuditRecord[]; nextCursor?: string }>;
}

export const securityApiRef = createApiRef<SecurityApi>({
  id: 'plugin.security',
});

export class SecurityClient implements SecurityApi {
  constructor(
    private readonly discoveryApi: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('security');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  private post<T>(path: string, body: unknown): Promise<T> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  getMyAccess(): Promise<MyAccess> {
    return this.request('/access/me');
  }

  /** Newest first, 50 at a time; pass the previous page's nextCursor for older ones. */
  listApprovals(
    view: 'inbox' | 'mine',
    statuses?: ApprovalStatus[],
    cursor?: string,
  ): Promise<ApprovalPage> {
    const query = new URLSearchParams({ view });
    if (statuses?.length) {
      query.set('status', statuses.join(','));
    }
    if (cursor) {
      query.set('cursor', cursor);
    }
    return this.request<ApprovalPage>(`/approvals?${query}`);
  }

  requestApproval(input: {
    action: SensitiveAction;
    entityRef: string;
    justification: string;
  }): Promise<ApprovalRequest> {
    return this.post('/approvals', input);
  }

  decideApproval(
    id: string,
    decision: 'approve' | 'deny',
    reason: string,
  ): Promise<ApprovalRequest> {
    return this.post(`/approvals/${encodeURIComponent(id)}/decision`, {
      decision,
      reason,
    });
  }

  queryAudit(
    filters: AuditFilters,
  ): Promise<{ items: AuditRecord[]; nextCursor?: string }> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) {
      if (value !== undefined && value !== '') {
        query.set(key, String(value));
      }
    }
    return this.request(`/audit?${query}`);
  }
}
