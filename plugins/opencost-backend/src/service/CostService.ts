import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import type {
  CostBenchmark,
  CostOverview,
  CostTrends,
  Freshness,
  RightSizing,
  ServiceCosts,
} from '@internal/plugin-opencost-common';

import type { OverviewPageQuery } from '../costs/overview';

export type Caller = BackstageCredentials<BackstageUserPrincipal>;

/** What services cost, for a caller, by the service's entity ref. */
export interface CostService {
  costs(
    caller: Caller,
    entityRef: string,
    days?: number,
  ): Promise<ServiceCosts>;
  trends(caller: Caller, entityRef: string): Promise<CostTrends>;
  benchmark(caller: Caller, entityRef: string): Promise<CostBenchmark>;
  rightSizing(caller: Caller, entityRef: string): Promise<RightSizing>;
  overview(
    caller: Caller,
    days?: number,
    page?: OverviewPageQuery,
  ): Promise<CostOverview>;
  /** Syncs from OpenCost now, for the service's owners and admins. */
  refresh(caller: Caller, entityRef: string): Promise<Freshness>;
}
