import {
  AuthService,
  coreServices,
  createServiceFactory,
  createServiceRef,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AccessGrant,
  AccessResult,
  ApprovalRequest,
  AuditOutcome,
  createSecurityApiClient,
  RedactionResult,
  Role,
  SensitiveAction,
} from '@internal/plugin-security-common';
import { responseData } from '@internal/api-client';
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

export interface SecuritySubject {
  userRef: string;
  role: Role;
  groups: string[];
}

/** Asks the security plugin whether a user may act, and consumes the approval an action needs. */
export interface SecurityAccessService {
  validate(
    user: string,
    action: SensitiveAction,
    entityRef: string,
  ): Promise<AccessResult>;
  /** validate for each of many entities (a list), in order; a ref the catalog does not have is refused. */
  validateMany(
    user: string,
    action: SensitiveAction,
    entityRefs: string[],
  ): Promise<AccessResult[]>;
  /**
   * Whether the user holds an approved, unexpired grant, without using it up: for reads that follow the
   * same approval rule as the action (e.g. browsing what a migration would copy).
   */
  hasApproval(
    user: string,
    action: SensitiveAction,
    entityRef: string,
  ): Promise<boolean>;
  /** The user's role and trusted groups, as the security policy resolves them. */
  subjectOf(user: string): Promise<SecuritySubject>;
  /** Throws NotAllowedError (403) when the user holds no approved, unexpired grant. */
  consumeApproval(
    user: string,
    action: SensitiveAction,
    entityRef: string,
  ): Promise<ApprovalRequest>;
}

export interface NewGrant {
  /** The user it is for. */
  user: string;
  action: SensitiveAction;
  /** Required for actions on an entity (cost.read, deployment.sync, n8n.run, feishu.migrate). */
  entityRef?: string;
  hours: number;
  reason: string;
  /** What granted it, unique per grant (e.g. n8n:run:<id>): recording the same source twice records one grant. */
  source: string;
}

/** Time-boxed grants of sensitive actions, which the security policy honours until they expire or are revoked. */
export interface SecurityGrantService {
  /** Only plugins named in security.grants.fromPlugins may; audited by the security backend. */
  recordGrant(
    grant: NewGrant,
  ): Promise<{ grant: AccessGrant; created: boolean }>;
  /** A user's grants that have neither expired nor been revoked. */
  activeGrantsOf(user: string): Promise<AccessGrant[]>;
}

/** The security backend takes at most this many entity refs per /access/validate-many. */
const VALIDATE_MANY_BATCH = 1000;

const ERROR_BY_STATUS: Record<number, new (message: string) => Error> = {
  400: InputError,
  403: NotAllowedError,
  404: NotFoundError,
  409: ConflictError,
  503: ServiceUnavailableError,
};

/**
 * The security plugin's answer as the error the calling route throws, so its caller gets the same status
 * and message (a catalog outage behind a check is a 503 there too, not a 500).
 */
async function asCallersError(response: Response): Promise<Error> {
  const error = await ResponseError.fromResponse(response);
  const Mapped = ERROR_BY_STATUS[response.status];
  return Mapped ? new Mapped(error.body.error.message) : error;
}

class SecurityBackendClient
  implements SecurityAuditService, SecurityAccessService, SecurityGrantService
{
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  /** The security backend's typed client, calling with this plugin's service token. */
  private async client() {
    const baseUrl = await this.discovery.getBaseUrl('security');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'security',
    });
    return createSecurityApiClient(baseUrl, async (url, init) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      const response = await fetch(url, { ...init, headers });
      if (!response.ok) {
        throw await asCallersError(response);
      }
      return response;
    });
  }

  async record(entry: SecurityAuditEntry): Promise<void> {
    await responseData((await this.client()).POST('/audit', { body: entry }));
  }

  async validate(
    user: string,
    action: SensitiveAction,
    entityRef: string,
  ): Promise<AccessResult> {
    return responseData(
      (await this.client()).POST('/access/validate', {
        body: { user, action, entityRef },
      }),
    );
  }

  async validateMany(
    user: string,
    action: SensitiveAction,
    entityRefs: string[],
  ): Promise<AccessResult[]> {
    const results: AccessResult[] = [];
    for (let i = 0; i < entityRefs.length; i += VALIDATE_MANY_BATCH) {
      const { results: batch } = await responseData(
        (
          await this.client()
        ).POST('/access/validate-many', {
          body: {
            user,
            action,
            entityRefs: entityRefs.slice(i, i + VALIDATE_MANY_BATCH),
          },
        }),
      );
      results.push(...batch);
    }
    return results;
  }

  async consumeApproval(
    user: string,
    action: SensitiveAction,
    entityRef: string,
  ): Promise<ApprovalRequest> {
    return responseData(
      (await this.client()).POST('/approvals/consume', {
        body: { user, action, entityRef },
      }),
    );
  }

  async hasApproval(
    user: string,
    action: SensitiveAction,
    entityRef: string,
  ): Promise<boolean> {
    const result = await responseData(
      (
        await this.client()
      ).POST('/approvals/check', {
        body: { user, action, entityRef },
      }),
    );
    return result.approved;
  }

  async recordGrant(
    grant: NewGrant,
  ): Promise<{ grant: AccessGrant; created: boolean }> {
    const { data, response } = await (
      await this.client()
    ).POST('/grants', { body: grant });
    if (!data) {
      throw new Error(
        `${response.url} answered ${response.status} without the grant`,
      );
    }
    return { grant: data, created: response.status === 201 };
  }

  async activeGrantsOf(user: string): Promise<AccessGrant[]> {
    const { items } = await responseData(
      (
        await this.client()
      ).GET('/grants', {
        params: { query: { user, active: true, limit: 200 } },
      }),
    );
    return items;
  }

  async subjectOf(user: string): Promise<SecuritySubject> {
    const { userRef, role, groups } = await responseData(
      (await this.client()).GET('/access/me', { params: { query: { user } } }),
    );
    return { userRef, role, groups };
  }
}

/** A service of the security backend, reached over HTTP with the calling plugin's service token. */
function securityBackendServiceRef<T>(id: string) {
  return createServiceRef<T>({
    id,
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { discovery: coreServices.discovery, auth: coreServices.auth },
        factory: ({ discovery, auth }) =>
          new SecurityBackendClient(discovery, auth) as unknown as T,
      }),
  });
}

export const securityAuditServiceRef =
  securityBackendServiceRef<SecurityAuditService>('security.audit');

export const securityAccessServiceRef =
  securityBackendServiceRef<SecurityAccessService>('security.access');

export const securityGrantServiceRef =
  securityBackendServiceRef<SecurityGrantService>('security.grants');
