import { ServiceUnavailableError } from '@backstage/errors';
import { upstreamJson } from '@internal/upstream-fetch';

/** One allocation as OpenCost's /allocation/compute returns it (the fields the portal reads). */
export interface OpenCostAllocation {
  name: string;
  start: string;
  end: string;
  minutes: number;
  cpuCost: number;
  ramCost: number;
  pvCost: number;
  networkCost: number;
  gpuCost: number;
  loadBalancerCost: number;
  sharedCost?: number;
  externalCost?: number;
  totalCost: number;
  cpuCoreHours: number;
  ramByteHours: number;
  cpuCoreRequestAverage: number;
  cpuCoreUsageAverage: number;
  ramByteRequestAverage: number;
  ramByteUsageAverage: number;
  cpuEfficiency: number;
  ramEfficiency: number;
}

interface AllocationResponse {
  code: number;
  message?: string;
  data: Array<Record<string, OpenCostAllocation> | null>;
}

export interface AllocationQuery {
  /** Start (inclusive) and end (exclusive) of the window, at whole UTC days. */
  start: Date;
  end: Date;
  /** OpenCost's aggregate parameter: `label:app`, `namespace`. */
  aggregate: string;
}

/** OpenCost's allocation API, with the portal's timeouts and retries. */
export class OpenCostClient {
  constructor(
    private readonly options: { baseUrl: string; timeoutMs?: number },
  ) {}

  /** One set of allocations per day of the window, oldest first, keyed by the aggregate's value. */
  async dailyAllocations(
    query: AllocationQuery,
  ): Promise<Array<Record<string, OpenCostAllocation>>> {
    const url = new URL(
      'allocation/compute',
      this.options.baseUrl.replace(/\/?$/, '/'),
    );
    url.searchParams.set(
      'window',
      `${query.start.toISOString()},${query.end.toISOString()}`,
    );
    url.searchParams.set('aggregate', query.aggregate);
    url.searchParams.set('step', '1d');
    url.searchParams.set('accumulate', 'false');
    const response = await upstreamJson<AllocationResponse>({
      upstream: 'OpenCost',
      url: url.toString(),
      timeoutMs: this.options.timeoutMs,
    });
    if (!response || !Array.isArray(response.data)) {
      throw new ServiceUnavailableError(
        'OpenCost answered without allocations (no data array)',
      );
    }
    return response.data.map(set => set ?? {});
  }
}
