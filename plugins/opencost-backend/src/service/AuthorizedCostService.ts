import { AuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  costReadPermission,
  Freshness,
} from '@internal/plugin-opencost-common';
import { isOwnedBy, ownerRefOf } from '@internal/plugin-security-common';
import {
  SecurityAccessService,
  SecurityAuditService,
  SensitiveActionGate,
} from '@internal/plugin-security-node';
import { claimedNamesOf, componentsClaiming } from '../catalog/claimants';
import { OverviewPageQuery, servicesPageOf } from '../costs/overview';
import { CostAnswerCache } from './CostAnswerCache';
import { Caller, CostService } from './CostService';
import { DefaultCostService } from './DefaultCostService';

const AUTHORIZE_BATCH = 250;

/**
 * Costs of the services the caller may read in the catalog (a restricted service is as unknown as a
 * missing one) and may see the costs of: `opencost.cost.read`, decided by whichever permission policy
 * runs, and the security policy's `cost.read` (contractors only with canViewCostData, and an approval
 * where the policy asks for one). Refusals are audited; a refresh is for the service's owners and admins
 * and is audited either way.
 */
export class AuthorizedCostService implements CostService {
  private readonly gate: SensitiveActionGate;

  constructor(
    private readonly inner: DefaultCostService,
    private readonly catalog: CatalogService,
    private readonly permissions: PermissionsService,
    private readonly access: SecurityAccessService,
    private readonly audit: SecurityAuditService,
    private readonly auth: AuthService,
    private readonly answers: CostAnswerCache,
  ) {
    this.gate = new SensitiveActionGate(permissions, access, audit);
  }

  private async readableEntity(caller: Caller, entityRef: string) {
    let entity: Entity | undefined;
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
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    return entity;
  }

  /** The entity, once the caller may read it and see its costs. */
  private async costReadable(caller: Caller, entityRef: string) {
    const entity = await this.readableEntity(caller, entityRef);
    const request = {
      credentials: caller,
      permission: costReadPermission,
      action: 'cost.read' as const,
      entityRef: stringifyEntityRef(entity),
    };
    const refusal = `You may not see the costs of ${request.entityRef}`;
    const access = await this.gate.require(request, refusal);
    if (
      access.requiresApproval &&
      !(await this.access.hasApproval(
        caller.principal.userEntityRef,
        'cost.read',
        request.entityRef,
      ))
    ) {
      await this.gate.denied(request, 'no approval');
      throw new NotAllowedError(
        `${refusal}: it needs an approval from ${
          access.approvers?.join(', ') || 'its owners'
        }; request one on the Access & approvals page`,
      );
    }
    // The costs under a label are every claimant's: the caller must be allowed to see each one's.
    const source = this.inner.sourceOf(entity);
    const others = (
      await componentsClaiming(this.catalog, this.auth, source.name)
    )
      .map(other => stringifyEntityRef(other))
      .filter(other => other !== request.entityRef);
    const { readable } = await this.costReadableRefs(caller, others);
    const hidden = others.find((_, i) => !readable[i]);
    if (hidden) {
      await this.gate.denied(
        request,
        `OpenCost's "${source.name}" is also claimed by ${hidden}`,
      );
      throw new NotAllowedError(
        `${refusal}: OpenCost's "${source.name}" also belongs to a service whose costs you may not see; its owners must give ${request.entityRef} a label of its own`,
      );
    }
    return entity;
  }

  /**
   * For each ref, whether the caller may see its costs with no approval pending: opencost.cost.read (in
   * batches) and the security policy's cost.read (one call for the list); and the first refusal's reason.
   */
  private async costReadableRefs(caller: Caller, refs: string[]) {
    const [decisions, verdicts] = await Promise.all([
      this.authorizeEach(caller, refs),
      this.access.validateMany(
        caller.principal.userEntityRef,
        'cost.read',
        refs,
      ),
    ]);
    return {
      readable: refs.map(
        (_, i) =>
          decisions[i].result === AuthorizeResult.ALLOW &&
          verdicts[i].allowed &&
          !verdicts[i].requiresApproval,
      ),
      refusal: verdicts.find(v => !v.allowed)?.reason,
    };
  }

  /**
   * Components whose cost source no other component claims: a label two services claim is nobody's to
   * show in a list.
   */
  private async withUnclaimedSources(entities: Entity[]) {
    const { items } = await this.catalog.getEntities(
      {
        filter: { kind: 'Component' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    const claims = new Map<string, number>();
    for (const item of items) {
      for (const name of claimedNamesOf(item)) {
        claims.set(name, (claims.get(name) ?? 0) + 1);
      }
    }
    return entities.filter(entity => {
      try {
        return (claims.get(this.inner.sourceOf(entity).name) ?? 0) <= 1;
      } catch {
        return false;
      }
    });
  }

  /**
   * The components the caller may read and see the costs of (both policies, no approval pending), and the
   * first refusal's reason, if any.
   */
  private async costReadableComponents(
    caller: Caller,
    filter: Record<string, string> = {},
  ) {
    const { items } = await this.catalog.getEntities(
      { filter: { kind: 'Component', ...filter } },
      { credentials: caller },
    );
    if (items.length === 0) return { entities: [], refusal: undefined };
    const { readable, refusal } = await this.costReadableRefs(
      caller,
      items.map(entity => stringifyEntityRef(entity)),
    );
    return {
      entities: await this.withUnclaimedSources(
        items.filter((_, i) => readable[i]),
      ),
      refusal,
    };
  }

  /** The caller's answer, cached until the next sync; how old the figures are is read every time. */
  private async cached<T extends { freshness: Freshness }>(
    caller: Caller,
    parts: Array<string | number | undefined>,
    compute: () => Promise<T>,
  ): Promise<T> {
    const [answer, freshness] = await Promise.all([
      this.answers.answer(
        [caller.principal.userEntityRef, ...parts.map(p => String(p ?? ''))],
        compute,
      ),
      this.inner.freshness(),
    ]);
    return { ...answer, freshness };
  }

  /**
   * opencost.cost.read on each ref, in batches: the permission backend refuses request bodies over 100 KB,
   * about 1,500 refs.
   */
  private async authorizeEach(caller: Caller, refs: string[]) {
    const batches: string[][] = [];
    for (let i = 0; i < refs.length; i += AUTHORIZE_BATCH) {
      batches.push(refs.slice(i, i + AUTHORIZE_BATCH));
    }
    const decisions = await Promise.all(
      batches.map(batch =>
        this.permissions.authorize(
          batch.map(resourceRef => ({
            permission: costReadPermission,
            resourceRef,
          })),
          { credentials: caller },
        ),
      ),
    );
    return decisions.flat();
  }

  async costs(caller: Caller, entityRef: string, days?: number) {
    return this.cached(caller, ['costs', entityRef, days], async () =>
      this.inner.costs(await this.costReadable(caller, entityRef), days),
    );
  }

  async trends(caller: Caller, entityRef: string) {
    return this.cached(caller, ['trends', entityRef], async () =>
      this.inner.trends(await this.costReadable(caller, entityRef)),
    );
  }

  async rightSizing(caller: Caller, entityRef: string) {
    return this.cached(caller, ['rightSizing', entityRef], async () =>
      this.inner.rightSizing(await this.costReadable(caller, entityRef)),
    );
  }

  async benchmark(caller: Caller, entityRef: string) {
    return this.cached(caller, ['benchmark', entityRef], () =>
      this.computeBenchmark(caller, entityRef),
    );
  }

  private async computeBenchmark(caller: Caller, entityRef: string) {
    const entity = await this.costReadable(caller, entityRef);
    const type = entity.spec?.type;
    const { entities: peers } = await this.costReadableComponents(
      caller,
      typeof type === 'string' ? { 'spec.type': type } : {},
    );
    return this.inner.benchmark(entity, peers);
  }

  /**
   * One page of the overview. The whole overview is cached once per caller and window (shared by
   * replicas); its pages are kept on this replica until the whole expires, so a page request reads a page,
   * not every service, and no page outlives the rights it was computed with.
   */
  async overview(caller: Caller, days?: number, page: OverviewPageQuery = {}) {
    const [answer, freshness] = await Promise.all([
      this.answers.derived(
        [
          caller.principal.userEntityRef,
          'overview-page',
          ...[days, page.offset, page.limit, page.sort, page.order, page.q].map(
            p => String(p ?? ''),
          ),
        ],
        async () => {
          const { computedAt, ...whole } = await this.answers.answer(
            [caller.principal.userEntityRef, 'overview', String(days ?? '')],
            async () => ({
              ...(await this.computeOverview(caller, days)),
              computedAt: Date.now(),
            }),
          );
          return {
            value: { ...whole, ...servicesPageOf(whole.services, page) },
            until: computedAt + this.answers.ttl,
          };
        },
      ),
      this.inner.freshness(),
    ]);
    return { ...answer, freshness };
  }

  private async computeOverview(caller: Caller, days?: number) {
    const { entities, refusal } = await this.costReadableComponents(caller);
    if (entities.length === 0 && refusal) {
      // Someone the policy never shows costs (a contractor without canViewCostData): a 403 that says so.
      await this.audit.record({
        actorRef: caller.principal.userEntityRef,
        action: 'cost.read',
        outcome: 'denied',
        details: { reason: refusal, view: 'overview' },
      });
      throw new NotAllowedError(`You may not see costs: ${refusal}`);
    }
    return this.inner.overview(entities, days);
  }

  async refresh(caller: Caller, entityRef: string) {
    const entity = await this.costReadable(caller, entityRef);
    const ref = stringifyEntityRef(entity);
    const subject = await this.access.subjectOf(caller.principal.userEntityRef);
    const owner = ownerRefOf(entity);
    const owns = isOwnedBy(entity, [subject.userRef, ...subject.groups]);
    const record = (
      outcome: 'succeeded' | 'failed' | 'denied',
      details: Record<string, unknown>,
    ) =>
      this.audit.record({
        actorRef: subject.userRef,
        action: 'cost.refresh',
        entityRef: ref,
        outcome,
        details,
      });
    if (subject.role !== 'admin' && !owns) {
      await record('denied', {
        reason: 'only its owners and admins refresh costs',
      });
      throw new NotAllowedError(
        `Only the owners of ${ref} (${
          owner ?? 'none'
        }) and admins may refresh its costs`,
      );
    }
    const freshness = await this.inner.refresh();
    await this.answers.invalidate();
    await record(freshness.stale ? 'failed' : 'succeeded', { freshness });
    return freshness;
  }
}
