import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  feishuMigrationRunPermission,
  MigrationJob,
  MigrationRequest,
  PreviewRequest,
} from '@internal/plugin-feishu-migration-common';
import { AccessResult, isOwnedBy } from '@internal/plugin-security-common';
import {
  SecurityAccessService,
  SecurityAuditService,
  SensitiveActionGate,
  SensitiveActionRequest,
} from '@internal/plugin-security-node';
import { whyNotRetry, whyNotRollBack } from '../migration/jobTransitions';
import { DefaultMigrationService } from './DefaultMigrationService';
import {
  Caller,
  MigrationListQuery,
  MigrationService,
} from './MigrationService';

/** Reading Feishu to choose pages (browse, preview) or changing what is delivered (start, roll back, retry). */
type Purpose = 'read' | 'act';

/**
 * The migration service as the caller may use it, the way catalog-backend's AuthorizedEntitiesCatalog wraps
 * the catalog: acting on a service needs `feishu-migration.migration.run` on it (decided by whichever
 * permission policy the portal runs) and, where the security policy asks for one, an approval that the
 * action uses up; browsing Feishu for a service needs the same permission and approval, without using it.
 * Lists, details and validation reports show only migrations of services the caller may read in the
 * catalog; any other migration is as unknown as one that does not exist.
 */
export class AuthorizedMigrationService implements MigrationService {
  constructor(
    private readonly inner: DefaultMigrationService,
    permissions: PermissionsService,
    private readonly catalog: CatalogService,
    private readonly access: SecurityAccessService,
    audit: SecurityAuditService,
  ) {
    this.gate = new SensitiveActionGate(permissions, access, audit);
  }

  private readonly gate: SensitiveActionGate;

  private request(caller: Caller, entityRef: string): SensitiveActionRequest {
    return {
      credentials: caller.credentials,
      permission: feishuMigrationRunPermission,
      action: 'feishu.migrate',
      entityRef,
    };
  }

  async listSpaces(caller: Caller, entityRef: string) {
    await this.requireMigrate(caller, entityRef, 'read');
    return this.inner.listSpaces();
  }

  async listSpaceNodes(caller: Caller, entityRef: string, spaceId: string) {
    await this.requireMigrate(caller, entityRef, 'read');
    return this.inner.listSpaceNodes(caller, entityRef, spaceId);
  }

  async listFolders(caller: Caller, entityRef: string) {
    await this.requireMigrate(caller, entityRef, 'read');
    return this.inner.listFolders();
  }

  async listFolderFiles(
    caller: Caller,
    entityRef: string,
    folderToken: string,
  ) {
    await this.requireMigrate(caller, entityRef, 'read');
    return this.inner.listFolderFiles(caller, entityRef, folderToken);
  }

  async preview(caller: Caller, request: PreviewRequest) {
    await this.requireMigrate(caller, request.entityRef, 'read');
    return this.inner.preview(caller, request);
  }

  async startMigration(caller: Caller, request: MigrationRequest) {
    const decision = await this.requireMigrate(
      caller,
      request.entityRef,
      'act',
    );
    // The approval is used up only once everything else about the request has been checked.
    const prepared = await this.inner.prepareMigration(caller, request);
    if (decision.requiresApproval) {
      await this.consumeApproval(
        caller,
        prepared.entityRef,
        decision,
        'migrate Feishu documents',
      );
    }
    return this.inner.startPrepared(caller, prepared);
  }

  async listMigrations(caller: Caller, query: MigrationListQuery) {
    const candidates =
      query.entityRefs ?? (await this.inner.migratedEntityRefs());
    return this.inner.listMigrations(caller, {
      ...query,
      entityRefs: await this.readableEntityRefs(caller, candidates),
    });
  }

  async getMigration(caller: Caller, id: string) {
    await this.visibleJob(caller, id);
    return this.inner.getMigration(caller, id);
  }

  async validateMigration(caller: Caller, id: string) {
    await this.visibleJob(caller, id);
    return this.inner.validateMigration(caller, id);
  }

  async rollback(caller: Caller, id: string) {
    await this.requireJobManager(caller, id, 'roll back', whyNotRollBack);
    return this.inner.rollback(caller, id);
  }

  async retry(caller: Caller, id: string) {
    await this.requireJobManager(caller, id, 'retry', whyNotRetry);
    return this.inner.retry(caller, id);
  }

  private async denied(caller: Caller, entityRef: string, reason: string) {
    await this.gate.denied(this.request(caller, entityRef), reason);
  }

  /**
   * The permission decides whether the caller may act on the service; the security plugin says why not,
   * and whether an approval is needed. Reading Feishu needs an approved grant but leaves it for the
   * migration, which consumes it.
   */
  private async requireMigrate(
    caller: Caller,
    entityRef: string,
    purpose: Purpose,
  ) {
    const access = await this.gate.require(
      this.request(caller, entityRef),
      `You may not migrate Feishu documents into ${entityRef}`,
    );
    if (
      purpose === 'read' &&
      access.requiresApproval &&
      !(await this.access.hasApproval(
        caller.userRef,
        'feishu.migrate',
        entityRef,
      ))
    ) {
      await this.denied(caller, entityRef, 'no approval to read Feishu');
      throw new NotAllowedError(
        `Reading Feishu for ${entityRef} needs the same approval as migrating into it, from ${
          access.approvers?.join(', ') || 'its owners'
        }: request one on the Access & approvals page`,
      );
    }
    return access;
  }

  private async consumeApproval(
    caller: Caller,
    entityRef: string,
    decision: AccessResult,
    step: string,
  ) {
    await this.gate.consumeApproval(this.request(caller, entityRef), decision, {
      reason: `no approval to ${step}`,
      message: approvers =>
        `To ${step} in ${entityRef} you need an approval from ${approvers}: request one on the Access & approvals page, then try again`,
    });
  }

  /** The services among these whose entities the caller may read in the catalog. */
  private async readableEntityRefs(caller: Caller, refs: string[]) {
    if (refs.length === 0) return [];
    let items: Array<Entity | null | undefined>;
    try {
      ({ items } = await this.catalog.getEntitiesByRefs(
        { entityRefs: refs, fields: ['kind', 'metadata.name'] },
        { credentials: caller.credentials },
      ));
    } catch (error) {
      throw new ServiceUnavailableError(
        `The catalog could not say which services you may see; try again shortly (${
          (error as Error).message
        })`,
      );
    }
    return refs.filter((_, i) => items[i] !== undefined && items[i] !== null);
  }

  /** A job whose service the caller may read, with that service; any other is as unknown as a missing one. */
  private async visibleJob(caller: Caller, id: string) {
    const job = await this.inner.job(id).catch(error => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    const entity =
      job && (await this.inner.entityAsSeenBy(caller, job.entityRef));
    if (!job || !entity) {
      throw new NotFoundError(`No Feishu migration ${id}`);
    }
    return { job, entity };
  }

  /**
   * Rolling back or retrying changes what a job did: its creator, the service's owners and admins may, if
   * they may still migrate into the service, and with a fresh approval where the policy asks for one.
   */
  private async requireJobManager(
    caller: Caller,
    id: string,
    step: string,
    /** Why the job cannot take this step now; checked before an approval is used up on it. */
    refusal: (job: MigrationJob) => string | undefined,
  ) {
    const { job, entity } = await this.visibleJob(caller, id);
    const decision = await this.requireMigrate(caller, job.entityRef, 'act');
    const subject = await this.access.subjectOf(caller.userRef);
    if (
      job.createdBy !== caller.userRef &&
      subject.role !== 'admin' &&
      !isOwnedBy(entity, [caller.userRef, ...subject.groups])
    ) {
      const reason = `only ${job.createdBy}, the owners of ${job.entityRef} and admins may ${step} this migration`;
      await this.denied(caller, job.entityRef, reason);
      throw new NotAllowedError(reason);
    }
    const why = refusal(job);
    if (why) throw new ConflictError(why);
    if (decision.requiresApproval) {
      await this.consumeApproval(caller, job.entityRef, decision, step);
    }
  }
}
