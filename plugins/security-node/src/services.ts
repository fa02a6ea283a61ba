import {
  AuthService,
  coreServices,
  createServiceFactory,
  createServiceRef,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AccessResult,
  ApprovalRequest,
  AuditOutcome,
  RedactionResult,
  SensitiveAction,
} from '@internal/plugin-security-common';
import { filterSensitiveContent } from './redaction/filterSensitiveContent';

/** Redacts secrets and internal host names (security.internalDomains) from text. */
export interface SensitiveContentFilter {
  filter(text: string): Promise<RedactionResult>;
}

export const sensitiveContentFilterServiceRef =
  createServiceRef<SensitiveContentFilter>({
    id: 'security.sensitive-content-filter',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { config: coreServices.rootConfig },
        factory: ({ config }) => {
          const internalDomains =
            config.getOptionalStringArray('security.internalDomains') ?? [];
          return {
            filter: text => filterSensitiveContent(text, { internalDomains }),
          };
        },
      }),
  });

export interface SecurityAuditEntry {
  /** Who did it: a user entity ref. */
  actorRef: string;
  /** e.g. ai.use, deployment.sync, n8n.run, feishu.migrate. */
  action: string;
  entityRef?: string;
  outcome: AuditOutcome;
  /** Redacted by the security backend before it is stored. */
  details?: Record<string, unknown>;
}

/** Records a sensitive operation in the security plugin's audit trail. */
export interface SecurityAuditService {
  record(entry: SecurityAuditEntry): Promise<void>;
}

/** Asks the security plugin whether a user may act, and consumes the approval an action needs. */
export interface SecurityAccessService {
  validate(
    user: string,
    action: SensitiveAction,
    entityRef: string,
  ): Promise<AccessResult>;
  /** Throws NotAllowedError (403) when the user holds no approved, unexpired grant. */
  consumeApproval(
    user: string,
    action: SensitiveAction,
    entityRef: string,
  ): Promise<ApprovalRequest>;
}

class SecurityBackendClient
  implements SecurityAuditService, SecurityAccessService
{
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  private async post<T>(path: string, body: unknown): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('security');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'security',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  async record(entry: SecurityAuditEntry): Promise<void> {
    await this.post('/audit', entry);
  }

  validate(
    user: string,
    action: SensitiveAction,
    entityRef: string,
  ): Promise<AccessResult> {
    return this.post('/access/validate', { user, action, entityRef });
  }

  consumeApproval(
    user: string,
    action: SensitiveAction,
    entityRef: string,
  ): Promise<ApprovalRequest> {
    return this.post('/approvals/consume', { user, action, entityRef });
  }
}

export const securityAuditServiceRef = createServiceRef<SecurityAuditService>({
  id: 'security.audit',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { discovery: coreServices.discovery, auth: coreServices.auth },
      factory: ({ discovery, auth }) =>
        new SecurityBackendClient(discovery, auth),
    }),
});

export const securityAccessServiceRef = createServiceRef<SecurityAccessService>(
  {
    id: 'security.access',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { discovery: coreServices.discovery, auth: coreServices.auth },
        factory: ({ discovery, auth }) =>
          new SecurityBackendClient(discovery, auth),
      }),
  },
);
