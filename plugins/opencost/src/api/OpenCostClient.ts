import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { responseData } from '@internal/api-client';
import {
  CostBenchmark,
  CostOverview,
  CostTrends,
  createOpenCostApiClient,
  Freshness,
  paths,
  RightSizing,
  ServiceCosts,
} from '@internal/plugin-opencost-common';

export interface OpenCostApi {
  costs(entityRef: string, days?: number): Promise<ServiceCosts>;
  trends(entityRef: string): Promise<CostTrends>;
  benchmark(entityRef: string): Promise<CostBenchmark>;
  recommendations(entityRef: string): Promise<RightSizing>;
  overview(days?: number, page?: OverviewPage): Promise<CostOverview>;
  /** Syncs from OpenCost now (the service's owners and admins). */
  refresh(entityRef: string): Promise<Freshness>;
}

/** Which page of the services the overview answers with (sorted and filtered on the server). */
export type OverviewPage = NonNullable<
  paths['/overview']['get']['parameters']['query']
>;

export const openCostApiRef = createApiRef<OpenCostApi>({
  id: 'plugin.opencost',
});

/** The opencost backend through the client generated from its openapi.yaml. */
export class OpenCostClient implements OpenCostApi {
  constructor(
    private readonly discoveryApi: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  private async client() {
    return createOpenCostApiClient(
      await this.discoveryApi.getBaseUrl('opencost'),
      (url, init) => this.fetchApi.fetch(url, init),
    );
  }

  async costs(entityRef: string, days?: number) {
    return responseData(
      (await this.client()).GET('/costs', {
        params: { query: { entityRef, ...(days ? { days } : {}) } },
      }),
    );
  }

  async trends(entityRef: string) {
    return responseData(
      (await this.client()).GET('/trends', {
        params: { query: { entityRef } },
      }),
    );
  }

  async benchmark(entityRef: string) {
    return responseData(
      (await this.client()).GET('/benchmarks', {
        params: { query: { entityRef } },
      }),
    );
  }

  async recommendations(entityRef: string) {
    return responseData(
      (await this.client()).GET('/recommendations', {
        params: { query: { entityRef } },
      }),
    );
  }

  async overview(days?: number, page: OverviewPage = {}) {
    return responseData(
      (await this.client()).GET('/overview', {
        params: { query: { ...page, ...(days ? { days } : {}) } },
      }),
    );
  }

  async refresh(entityRef: string) {
    return responseData(
      (await this.client()).POST('/refresh', { body: { entityRef } }),
    );
  }
}
