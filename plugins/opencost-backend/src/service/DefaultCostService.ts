import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CostOverview,
  CostSource,
  costSourceOf,
  Freshness,
  KUBERNETES_NAMESPACE_ANNOTATION,
  SERVICE_LABEL_ANNOTATION,
} from '@internal/plugin-opencost-common';
import {
  addDays,
  costOverWindow,
  dayOf,
  percentileRank,
  rightSizingOf,
  trendsOf,
  unitCostsOf,
} from '../costs/analysis';
import { breakdownOf, compensatedSum } from '../costs/dailyCost';
import { costOverviewOf } from '../costs/overview';
import { ownerRefOf } from '@internal/plugin-security-common';
import { isOwnName } from '../catalog/claimants';
import { CostStore } from '../database/CostStore';
import { CostSync } from '../sync/CostSync';

const DAY_MS = 86_400_000;
/** A sync runs every 6 hours; past this, the page says the figures are stale. */
const STALE_AFTER_MS = 30 * 3_600_000;
/** How long a read of the last sync time is reused: every request shows how old the figures are. */
const SYNC_TIME_READ_MS = 1_000;
/** Benchmarks and right-sizing look at this many days. */
const ANALYSIS_DAYS = 30;

export interface CostSettings {
  currency: string;
  /** A change above this (0.2 = 20 %) is flagged. */
  trendThreshold: number;
  /** Right-sizing keeps this much above peak usage (0.3 = 30 %). */
  headroom: number;
}

/**
 * The cost figures of services the caller has already been allowed to see, from the stored days. A
 * service's costs are read from its own label or namespace only: `opencost/service-label` (or
 * `backstage.io/kubernetes-namespace`) must be the service's name or its `backstage.io/kubernetes-id`,
 * so an owner cannot point the annotation at another team's costs.
 */
export class DefaultCostService {
  constructor(
    private readonly store: CostStore,
    private readonly sync: CostSync,
    private readonly settings: CostSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The service's cost source, or a 400 that says which annotation to add or fix. */
  sourceOf(entity: Entity): CostSource {
    const ref = stringifyEntityRef(entity);
    const source = costSourceOf(entity.metadata.annotations);
    if (!source) {
      throw new InputError(
        `${ref} has no ${SERVICE_LABEL_ANNOTATION} (or ${KUBERNETES_NAMESPACE_ANNOTATION}) annotation; add it to its catalog-info.yaml`,
      );
    }
    if (!isOwnName(entity, source.name)) {
      const annotation =
        source.aggregate === 'label'
          ? SERVICE_LABEL_ANNOTATION
          : KUBERNETES_NAMESPACE_ANNOTATION;
      throw new InputError(
        `${annotation} of ${ref} is "${source.name}", but a service's costs are read from its own label: use "${entity.metadata.name}"`,
      );
    }
    return source;
  }

  private today() {
    return dayOf(this.now());
  }

  /** The last sync time as read, for a second: a sync on another replica shows that much later. */
  private lastSyncRead?: { value: Promise<Date | undefined>; at: number };

  private lastSyncedAt() {
    const now = Date.now();
    if (!this.lastSyncRead || now - this.lastSyncRead.at > SYNC_TIME_READ_MS) {
      const value = this.store.lastSyncedAt('label');
      this.lastSyncRead = { value, at: now };
      value.catch(() => {
        this.lastSyncRead = undefined;
      });
    }
    return this.lastSyncRead.value;
  }

  async freshness(): Promise<Freshness> {
    const asOf = await this.lastSyncedAt();
    if (!asOf) {
      return { stale: true, problem: 'OpenCost has not been synced yet' };
    }
    const stale = this.now().getTime() - asOf.getTime() > STALE_AFTER_MS;
    return {
      asOf: asOf.toISOString(),
      stale,
      ...(stale
        ? {
            problem: `OpenCost could not be read for ${Math.floor(
              (this.now().getTime() - asOf.getTime()) / DAY_MS,
            )} days; these are the last synced figures`,
          }
        : {}),
    };
  }

  private async days(entity: Entity, from: string, to: string) {
    const source = this.sourceOf(entity);
    return this.store.dailyCosts(source.aggregate, source.name, from, to);
  }

  async costs(entity: Entity, days = 30) {
    const to = this.today();
    const from = addDays(to, -days);
    const window = costOverWindow(await this.days(entity, from, to), from, to);
    const source = this.sourceOf(entity);
    const variance =
      source.aggregate === 'label'
        ? await this.store.variance(source.name)
        : undefined;
    return {
      entityRef: stringifyEntityRef(entity),
      source,
      currency: this.settings.currency,
      ...window,
      ...(variance
        ? {
            awsVariance: {
              from: variance.from,
              to: variance.to,
              opencost: variance.opencost,
              aws: variance.aws,
              variance: variance.variance,
              flagged: variance.flagged,
              checkedAt: variance.checkedAt.toISOString(),
            },
          }
        : {}),
      freshness: await this.freshness(),
    };
  }

  async trends(entity: Entity) {
    const today = this.today();
    const days = await this.days(entity, addDays(today, -60), today);
    return {
      entityRef: stringifyEntityRef(entity),
      currency: this.settings.currency,
      ...trendsOf(days, today, this.settings.trendThreshold),
      freshness: await this.freshness(),
    };
  }

  async rightSizing(entity: Entity) {
    const to = this.today();
    const days = await this.days(entity, addDays(to, -ANALYSIS_DAYS), to);
    return {
      entityRef: stringifyEntityRef(entity),
      currency: this.settings.currency,
      ...rightSizingOf(days, this.settings.headroom),
      freshness: await this.freshness(),
    };
  }

  /** The totals over [from, to) and [before, from) of each entity with a source of its own, by entity ref. */
  private async totalsOfEach(
    entities: Entity[],
    window: { before: string; from: string; to: string },
  ) {
    const [byLabel, byNamespace] = await Promise.all([
      this.store.windowTotals('label', window),
      this.store.windowTotals('namespace', window),
    ]);
    const result = new Map<string, { total: number; previous: number }>();
    for (const entity of entities) {
      let source: CostSource;
      try {
        source = this.sourceOf(entity);
      } catch {
        continue;
      }
      const totals = (source.aggregate === 'label' ? byLabel : byNamespace).get(
        source.name,
      );
      if (totals) result.set(stringifyEntityRef(entity), totals);
    }
    return result;
  }

  /** Where the service stands among `peers` (the services of its type the caller may read). */
  async benchmark(entity: Entity, peers: Entity[]) {
    const to = this.today();
    const from = addDays(to, -ANALYSIS_DAYS);
    const own = await this.days(entity, from, to);
    const ownTotal = compensatedSum(own.map(d => d.totalCost));
    const ref = stringifyEntityRef(entity);
    const totals = [
      ...(await this.totalsOfEach(peers, { before: from, from, to })),
    ]
      .filter(([peerRef]) => peerRef !== ref)
      .map(([, peer]) => peer.total);
    totals.push(ownTotal);
    return {
      entityRef: ref,
      type: String(entity.spec?.type ?? 'unknown'),
      currency: this.settings.currency,
      total: ownTotal,
      percentile: percentileRank(ownTotal, totals),
      peers: totals.length,
      ...unitCostsOf(breakdownOf(own), own),
      freshness: await this.freshness(),
    };
  }

  async overview(entities: Entity[], days = 30): Promise<CostOverview> {
    const to = this.today();
    const from = addDays(to, -days);
    const before = addDays(from, -days);
    const byEntity = await this.totalsOfEach(entities, { before, from, to });
    const rows = entities.flatMap(entity => {
      const ref = stringifyEntityRef(entity);
      const totals = byEntity.get(ref);
      if (!totals) return [];
      return [
        {
          entityRef: ref,
          title: entity.metadata.title ?? entity.metadata.name,
          owner: ownerRefOf(entity) ?? 'unknown',
          type: String(entity.spec?.type ?? 'unknown'),
          ...totals,
        },
      ];
    });
    const overview = costOverviewOf(rows);
    return {
      currency: this.settings.currency,
      from,
      to,
      ...overview,
      totalServices: overview.services.length,
      freshness: await this.freshness(),
    };
  }

  /** Syncs now; the answer carries OpenCost's problem when it could not be read. */
  async refresh(): Promise<Freshness> {
    const { problem } = await this.sync.run(this.today());
    this.lastSyncRead = undefined;
    const freshness = await this.freshness();
    return problem ? { ...freshness, stale: true, problem } : freshness;
  }
}
