import {
  CostExplorerClient,
  GetCostAndUsageCommand,
} from '@aws-sdk/client-cost-explorer';
import { ServiceUnavailableError } from '@backstage/errors';

export interface AwsCostClientOptions {
  /** Cost Explorer's endpoint; AWS's own for the region when unset. */
  endpoint?: string;
  region: string;
  /** Static keys; AWS's default provider chain (IRSA on EKS) when unset. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  timeoutMs?: number;
}

/** One service's AWS bill on one UTC day: the resources carrying its cost allocation tag. */
export interface AwsDailyCost {
  day: string;
  name: string;
  amount: number;
  currency: string;
}

/** Requests a sync may page through before it gives up (Cost Explorer charges per request). */
const MAX_PAGES = 50;

/** AWS Cost Explorer: daily cost by one cost allocation tag, through the AWS SDK (retries, signing). */
export class AwsCostClient {
  private readonly client: CostExplorerClient;

  constructor(options: AwsCostClientOptions) {
    this.client = new CostExplorerClient({
      region: options.region,
      endpoint: options.endpoint,
      credentials: options.credentials,
      maxAttempts: 3,
      requestHandler: { requestTimeout: options.timeoutMs ?? 30_000 },
    });
  }

  /**
   * The cost of each tag value on each day of [from, to), for the tag `tagKey`. Resources without the
   * tag (Cost Explorer's `tagKey$` group) are no service's and left out.
   */
  async dailyCostsByTag(
    tagKey: string,
    metric: string,
    from: string,
    to: string,
  ): Promise<AwsDailyCost[]> {
    const costs: AwsDailyCost[] = [];
    let nextPageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      let response;
      try {
        response = await this.client.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: from, End: to },
            Granularity: 'DAILY',
            Metrics: [metric],
            GroupBy: [{ Type: 'TAG', Key: tagKey }],
            NextPageToken: nextPageToken,
          }),
        );
      } catch (error) {
        throw new ServiceUnavailableError(
          `AWS Cost Explorer could not be read: ${(error as Error).message}`,
        );
      }
      for (const result of response.ResultsByTime ?? []) {
        const day = result.TimePeriod?.Start;
        if (!day) continue;
        for (const group of result.Groups ?? []) {
          const key = group.Keys?.[0] ?? '';
          const name = key.startsWith(`${tagKey}$`)
            ? key.slice(tagKey.length + 1)
            : '';
          const value = group.Metrics?.[metric];
          const amount = Number(value?.Amount);
          if (!name || !Number.isFinite(amount)) continue;
          costs.push({ day, name, amount, currency: value?.Unit ?? 'USD' });
        }
      }
      nextPageToken = response.NextPageToken;
      if (!nextPageToken) return costs;
    }
    throw new ServiceUnavailableError(
      `AWS Cost Explorer kept paging after ${MAX_PAGES} requests for ${from}..${to}`,
    );
  }
}
