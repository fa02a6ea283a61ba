import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  SecurityAccessService,
  SecurityAuditEntry,
} from '@internal/plugin-security-node';
import { CostStore } from '../database/CostStore';
import { CostSync } from '../sync/CostSync';
import { AuthorizedCostService } from './AuthorizedCostService';
import { CostAnswerCache } from './CostAnswerCache';
import { DefaultCostService } from './DefaultCostService';

const CONTRACTOR = 'user:default/rafael-ortiz';

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'service',
    owner: 'group:default/contractors-northwind',
    lifecycle: 'production',
  },
});

/** payment-gateway is restricted: this contractor may see every service's costs but its. */
const CATALOG = [
  component('payment-gateway', { 'opencost/service-label': 'payment-gateway' }),
  component('usage-metering', { 'opencost/service-label': 'usage-metering' }),
  // The contractor owns it and named its kubernetes-id and label after the restricted service.
  component('copycat', {
    'backstage.io/kubernetes-id': 'payment-gateway',
    'opencost/service-label': 'payment-gateway',
  }),
];

function service() {
  const audit: SecurityAuditEntry[] = [];
  const validate = async (_user: string, _action: string, entityRef: string) =>
    entityRef === 'component:default/payment-gateway'
      ? { allowed: false, reason: 'payment-gateway is restricted' }
      : { allowed: true };
  const access: SecurityAccessService = {
    validate,
    validateMany: async (user, action, refs) =>
      Promise.all(refs.map(ref => validate(user, action, ref))),
    hasApproval: async () => false,
    subjectOf: async userRef => ({
      userRef,
      role: 'contractor-developer',
      groups: [],
    }),
    consumeApproval: async () => {
      throw new Error('not used');
    },
  } as SecurityAccessService;
  const store: CostStore = {
    saveDay: async () => {},
    syncedDays: async () => [],
    lastSyncedAt: async () => new Date(),
    dailyCosts: async () => [],
    allDailyCosts: async () => new Map(),
    windowTotals: async () => new Map(),
    saveAwsDay: async () => {},
    awsDailyAmounts: async () => new Map(),
    saveVariances: async () => {},
    variance: async () => undefined,
  };
  const costs = new AuthorizedCostService(
    new DefaultCostService(store, {} as CostSync, {
      currency: 'USD',
      trendThreshold: 0.2,
      headroom: 0.3,
    }),
    catalogServiceMock({ entities: CATALOG }),
    mockServices.permissions(),
    access,
    { record: async entry => void audit.push(entry) },
    mockServices.auth(),
    new CostAnswerCache(
      mockServices.cache.mock(),
      60_000,
      mockServices.logger.mock(),
    ),
  );
  return { costs, audit };
}

describe('AuthorizedCostService', () => {
  const caller = mockCredentials.user(CONTRACTOR);

  it('refuses costs under a label that a service the caller may not see also claims, and audits why', async () => {
    const { costs, audit } = service();
    await expect(
      costs.costs(caller, 'component:default/copycat'),
    ).rejects.toThrow(
      `You may not see the costs of component:default/copycat: OpenCost's "payment-gateway" also belongs to a service whose costs you may not see; its owners must give component:default/copycat a label of its own`,
    );
    expect(audit).toEqual([
      expect.objectContaining({
        actorRef: CONTRACTOR,
        action: 'cost.read',
        entityRef: 'component:default/copycat',
        outcome: 'denied',
        details: {
          reason: `OpenCost's "payment-gateway" is also claimed by component:default/payment-gateway`,
        },
      }),
    ]);
  });

  it('shows costs under a label only this service claims', async () => {
    const { costs } = service();
    await expect(
      costs.costs(caller, 'component:default/usage-metering', 7),
    ).resolves.toMatchObject({
      entityRef: 'component:default/usage-metering',
      daily: [],
    });
  });

  it('leaves a service whose label another service claims out of the overview', async () => {
    const { costs } = service();
    // Nothing stored: the point is which services were asked about, not their costs.
    const asked = jest.spyOn(DefaultCostService.prototype, 'overview');
    const overview = await costs.overview(caller);
    expect(overview.services).toEqual([]);
    expect(asked.mock.calls[0][0].map(e => e.metadata.name)).toEqual([
      'usage-metering',
    ]);
    asked.mockRestore();
  });
});
