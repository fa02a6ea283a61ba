import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { costSourceOf } from '@internal/plugin-opencost-common';
import { AwsCostClient } from '../clients/AwsCostClient';
import { componentsClaiming, isOwnName } from '../catalog/claimants';
import { addDays, dayOf } from '../costs/analysis';
import { costVariancesOf, CostVariance } from '../costs/variance';
import { CostStore } from '../database/CostStore';
import { daysToSync, requestRanges } from './syncPlan';

/** Cost Explorer keeps revising a day's figures for about three days. */
const AWS_SETTLE_DAYS = 3;
/** The variance check compares this many settled days. */
const VARIANCE_WINDOW_DAYS = 7;

export interface AwsCostSyncOptions {
  client: AwsCostClient;
  store: CostStore;
  catalog: CatalogService;
  auth: AuthService;
  notifications: NotificationService;
  logger: LoggerService;
  /** The cost allocation tag carrying the service label (`opencost.aws.tagKey`, default app). */
  tagKey: string;
  /** Cost Explorer's metric; default UnblendedCost. */
  metric?: string;
  /** Above this (0.05 = 5 %) OpenCost and AWS differ enough to tell the owners. */
  varianceThreshold: number;
  backfillDays?: number;
  /** The currency amounts are shown in. */
  currency: string;
}

export interface AwsCostSyncResult {
  days: number;
  variances: CostVariance[];
  problem?: string;
}

/**
 * The daily AWS step: every missing day of the backfill window (and the settling days) of AWS cost by the
 * service tag, stored like OpenCost's days; then OpenCost's allocation of the last settled week checked
 * against the bill, and the owners of each service that differs by more than the threshold notified (one
 * notification per service, replaced on each check rather than piling up). A failure is one log line.
 */
export class AwsCostSync {
  constructor(private readonly options: AwsCostSyncOptions) {}

  async run(today = dayOf(new Date())): Promise<AwsCostSyncResult> {
    let days = 0;
    try {
      days = await this.syncDays(today);
    } catch (error) {
      const problem = `AWS cost sync stopped, the variance check uses the days stored before: ${
        (error as Error).message
      }`;
      this.options.logger.error(problem);
      return { days, variances: await this.check(today), problem };
    }
    return { days, variances: await this.check(today) };
  }

  private async syncDays(today: string) {
    const { client, store, tagKey } = this.options;
    const backfillDays = this.options.backfillDays ?? 90;
    const synced = await store.syncedDays(
      'aws',
      addDays(today, -backfillDays),
      today,
    );
    let count = 0;
    for (const range of requestRanges(
      daysToSync(today, synced, backfillDays, AWS_SETTLE_DAYS),
      backfillDays,
    )) {
      const costs = await client.dailyCostsByTag(
        tagKey,
        this.options.metric ?? 'UnblendedCost',
        range[0],
        addDays(range[range.length - 1], 1),
      );
      for (const day of range) {
        await store.saveAwsDay(
          day,
          costs.filter(cost => cost.day === day),
        );
        count++;
      }
    }
    return count;
  }

  /** The last settled week, OpenCost by label against AWS by tag; flagged services' owners notified. */
  private async check(today: string): Promise<CostVariance[]> {
    const { store } = this.options;
    const to = addDays(today, -AWS_SETTLE_DAYS + 1);
    const from = addDays(to, -VARIANCE_WINDOW_DAYS);
    const [opencost, aws] = await Promise.all([
      store.allDailyCosts('label', from, to),
      store.awsDailyAmounts(from, to),
    ]);
    const opencostAmounts = new Map(
      [...opencost].map(([name, days]) => [
        name,
        days.map(day => day.totalCost),
      ]),
    );
    const variances = costVariancesOf(
      opencostAmounts,
      aws,
      { from, to },
      this.options.varianceThreshold,
    );
    await store.saveVariances(variances);
    for (const variance of variances.filter(v => v.flagged)) {
      try {
        await this.notifyOwners(variance);
      } catch (error) {
        this.options.logger.error(
          `Could not notify the owners of ${
            variance.name
          } of its AWS variance: ${(error as Error).message}`,
        );
      }
    }
    return variances;
  }

  /**
   * Tells the owners of the one component whose own label this is (its name or kubernetes-id, as the Cost
   * tab requires). A label more than one component claims is nobody's to be told about: claiming it is
   * an annotation any owner can write, and the figures are another service's.
   */
  private async notifyOwners(variance: CostVariance) {
    const { catalog, auth, notifications, currency, logger } = this.options;
    const claimants = await componentsClaiming(catalog, auth, variance.name);
    const [owner] = claimants;
    const source = owner && costSourceOf(owner.metadata.annotations);
    const own =
      claimants.length === 1 &&
      source?.aggregate === 'label' &&
      source.name === variance.name &&
      isOwnName(owner, variance.name);
    if (!own) {
      logger.warn(
        `Not notifying anyone of the AWS variance of "${variance.name}": ${
          claimants.length === 0
            ? 'no component has this label'
            : `${claimants.length} components claim the label, or it is not the component's own`
        }`,
      );
      return;
    }
    const money = (n: number) => `${n.toFixed(2)} ${currency}`;
    const percent = `${(variance.variance * 100).toFixed(1)} %`;
    await notifications.send({
      // A component as recipient reaches the members of its owning group.
      recipients: {
        type: 'entity',
        entityRef: stringifyEntityRef(owner),
      },
      payload: {
        title: `${variance.name}: AWS bills ${percent} ${
          variance.aws > variance.opencost ? 'more' : 'less'
        } than OpenCost allocates`,
        description: `From ${variance.from} to ${addDays(
          variance.to,
          -1,
        )}: OpenCost ${money(variance.opencost)}, AWS ${money(
          variance.aws,
        )}. Resources tagged ${this.options.tagKey}=${
          variance.name
        } outside the cluster, or pods without the label, are the usual causes.`,
        link: `/catalog/${owner.metadata.namespace ?? 'default'}/component/${
          owner.metadata.name
        }/cost`,
        severity: 'normal',
        topic: 'Cost variance',
        scope: `opencost-aws-variance:${variance.name}`,
      },
    });
  }
}
