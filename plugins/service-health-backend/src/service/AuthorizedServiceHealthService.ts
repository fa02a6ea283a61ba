import {
  CacheService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { deploymentSyncPermission } from '@internal/plugin-service-health-common';
import { isContractorRole } from '@internal/plugin-security-common';
import {
  SecurityAccessService,
  SecurityAuditService,
  SensitiveActionGate,
  SensitiveActionRequest,
} from '@internal/plugin-security-node';
import { ArgoApplication } from '../clients/ArgoCdClient';
import { DefaultServiceHealthService } from './DefaultServiceHealthService';
import { Caller, ServiceHealthService } from './ServiceHealthService';

/** A change of what someone may see reaches the service page within this long (the role cache is longer). */
const VISIBILITY_TTL_MS = 10_000;

/**
 * Signals of the services the caller may read in the catalog: the catalog applies its read permission
 * (and with it the contractor boundaries), so a restricted service is as unknown as a missing one.
 * A sync needs `argocd.application.sync` on the service (decided by whichever permission policy runs),
 * the security policy's reason and approval for `deployment.sync`, and is audited either way.
 */
export class AuthorizedServiceHealthService implements ServiceHealthService {
  constructor(
    private readonly inner: DefaultServiceHealthService,
    private readonly catalog: CatalogService,
    permissions: PermissionsService,
    private readonly access: SecurityAccessService,
    private readonly audit: SecurityAuditService,
    /** Remembers briefly which entity a caller may see, so a page's four cards cost one catalog lookup. */
    private readonly visibility: CacheService,
  ) {
    this.gate = new SensitiveActionGate(permissions, access, audit);
  }

  private readonly gate: SensitiveActionGate;

  private async visibleEntity(
    caller: Caller,
    entityRef: string,
  ): Promise<Entity> {
    const key = `visible:${caller.principal.userEntityRef}:${entityRef}`;
    const remembered = (await this.visibility.get(key)) as
      | { entity?: Entity }
      | undefined;
    let entity = remembered?.entity;
    if (!remembered) {
      try {
        entity = await this.catalog.getEntityByRef(entityRef, {
          credentials: caller,
        });
      } catch (error) {
        throw new ServiceUnavailableError(
          `The catalog could not be asked about ${entityRef}; try again shortly (${
            (error as Error).message
          })`,
        );
      }
      await this.visibility.set(key, (entity ? { entity } : {}) as any, {
        ttl: VISIBILITY_TTL_MS,
      });
    }
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return entity;
  }

  async deployments(
    caller: Caller,
    entityRef: string,
    options?: { refresh?: boolean },
  ) {
    return this.inner.deployments(
      await this.visibleEntity(caller, entityRef),
      options,
    );
  }

  async sync(caller: Caller, entityRef: string, application: string) {
    const entity = await this.visibleEntity(caller, entityRef);
    const request: SensitiveActionRequest = {
      credentials: caller,
      permission: deploymentSyncPermission,
      action: 'deployment.sync',
      entityRef: stringifyEntityRef(entity),
      auditDetails: { application },
    };
    const refusal = `You may not sync ${application}`;
    const access = await this.gate.require(request, refusal);
    if (
      isContractorRole(
        (await this.access.subjectOf(caller.principal.userEntityRef)).role,
      ) &&
      (await this.environmentOf(entity, application)) === 'production'
    ) {
      const reason = 'contractors never sync production';
      await this.gate.denied(request, reason);
      throw new NotAllowedError(`${refusal}: ${reason}`);
    }
    if (access.requiresApproval) {
      await this.gate.consumeApproval(request, access, {
        reason: 'no approval',
        message: approvers =>
          `Syncing ${application} needs an approval from ${approvers}: request one on the Access & approvals page, then try again`,
      });
    }
    const record = (
      outcome: 'succeeded' | 'failed' | 'denied',
      details: Record<string, unknown>,
    ) =>
      this.audit.record({
        actorRef: caller.principal.userEntityRef,
        action: request.action,
        entityRef: request.entityRef,
        outcome,
        details: { application, ...details },
      });
    try {
      const deployment = await this.inner.sync(entity, application);
      await record('succeeded', { revision: deployment.revision });
      return deployment;
    } catch (error) {
      await record(error instanceof NotAllowedError ? 'denied' : 'failed', {
        reason: (error as Error).message,
      });
      throw error;
    }
  }

  private async environmentOf(entity: Entity, application: string) {
    const { items } = await this.inner.deployments(entity);
    return items.find(d => d.application === application)?.environment;
  }

  /** Whether the application is labelled as a component the caller may read. */
  private async mayReadApplication(caller: Caller, app: ArgoApplication) {
    const service = app.metadata.labels?.['backstage-name'];
    if (!service) return false;
    try {
      await this.visibleEntity(caller, `component:default/${service}`);
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  async argoApplications(caller: Caller, selector?: string) {
    const applications = await this.inner.argoApplications(selector);
    const readable = await Promise.all(
      applications.map(app => this.mayReadApplication(caller, app)),
    );
    return applications.filter((_, i) => readable[i]);
  }

  async argoApplication(caller: Caller, name: string) {
    const app = await this.inner.argoApplication(name).catch((error: Error) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (!app || !(await this.mayReadApplication(caller, app))) {
      throw new NotFoundError(`No Argo CD application ${name}`);
    }
    return app;
  }

  async argoRevisionMetadata(caller: Caller, name: string, revision: string) {
    await this.argoApplication(caller, name);
    return this.inner.argoRevisionMetadata(name, revision);
  }

  async monitors(caller: Caller, entityRef: string) {
    return this.inner.monitors(await this.visibleEntity(caller, entityRef));
  }

  async errors(caller: Caller, entityRef: string) {
    return this.inner.errors(await this.visibleEntity(caller, entityRef));
  }

  async changes(caller: Caller, entityRef: string) {
    return this.inner.changes(await this.visibleEntity(caller, entityRef));
  }
}
