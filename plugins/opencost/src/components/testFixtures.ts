import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  CostBenchmark,
  CostOverview,
  CostTrends,
  Freshness,
  RightSizing,
  ServiceCosts,
} from '@internal/plugin-opencost-common';

export const FRESH: Freshness = {
  asOf: new Date(Date.now() - 5 * 3_600_000).toISOString(),
  stale: false,
};

export function service(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'invoice-service', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-billing', lifecycle: 'production' },
  };
}

export const annotated = service({
  'opencost/service-label': 'invoice-service',
});

export const breakdown = (total: number) => ({
  total,
  cpu: total * 0.55,
  memory: total * 0.3,
  storage: total * 0.1,
  network: total * 0.05,
  gpu: 0,
  loadBalancer: 0,
  other: 1e-12,
});

export const costs = (
  freshness = FRESH,
  extra: Partial<ServiceCosts> = {},
): ServiceCosts => ({
  entityRef: 'component:default/invoice-service',
  source: { aggregate: 'label', name: 'invoice-service' },
  currency: 'USD',
  from: '2026-11-03',
  to: '2026-12-03',
  breakdown: breakdown(420),
  daily: Array.from({ length: 30 }, (_, i) => ({
    day: `2026-11-${String(i + 3).padStart(2, '0')}`,
    ...breakdown(14),
  })),
  freshness,
  ...extra,
});

export const trends = (change: number, flagged: boolean): CostTrends => ({
  entityRef: 'component:default/invoice-service',
  currency: 'USD',
  threshold: 0.2,
  weekOverWeek: { current: 100 * (1 + change), previous: 100, change, flagged },
  monthOverMonth: { current: 420, previous: 400, change: 0.05, flagged: false },
  freshness: FRESH,
});

export const rightSizing: RightSizing = {
  entityRef: 'component:default/invoice-service',
  currency: 'USD',
  headroom: 0.3,
  cpu: { requested: 4, peakUsage: 1, recommended: 1.3, monthlySavings: 61.25 },
  memory: {
    requested: 8 * 1024 ** 3,
    peakUsage: 2 * 1024 ** 3,
    recommended: 2.6 * 1024 ** 3,
    monthlySavings: 16.5,
  },
  monthlySavings: 77.75,
  freshness: FRESH,
};

export const benchmark: CostBenchmark = {
  entityRef: 'component:default/invoice-service',
  type: 'service',
  currency: 'USD',
  total: 420,
  percentile: 75,
  peers: 8,
  perCpuCoreHour: 0.0316,
  perGibHour: 0.0042,
  freshness: FRESH,
};

export const overview: CostOverview = {
  currency: 'USD',
  from: '2026-11-03',
  to: '2026-12-03',
  services: [
    {
      entityRef: 'component:default/payment-gateway',
      title: 'payment-gateway',
      owner: 'group:default/team-payments',
      type: 'service',
      total: 560,
      previous: 400,
      change: 0.4,
    },
    {
      entityRef: 'component:default/invoice-service',
      title: 'invoice-service',
      owner: 'group:default/team-billing',
      type: 'service',
      total: 420,
      previous: 410,
      change: 0.0244,
    },
  ],
  totalServices: 2,
  teams: [
    { owner: 'group:default/team-payments', total: 560, services: 1 },
    { owner: 'group:default/team-billing', total: 420, services: 1 },
  ],
  topMovers: [
    {
      entityRef: 'component:default/payment-gateway',
      title: 'payment-gateway',
      owner: 'group:default/team-payments',
      type: 'service',
      total: 560,
      previous: 400,
      change: 0.4,
    },
  ],
  freshness: FRESH,
};

/** A 403 as the backend answers it. */
export function forbidden(message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message },
        response: { statusCode: 403 },
      }),
      { status: 403, headers: { 'content-type': 'application/json' } },
    ) as any,
  );
}
