import { AuthService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CostService } from '../service/CostService';

const READ_ONLY = { readOnly: true, idempotent: true, destructive: false };

/**
 * What an agent may ask about costs for the person it acts for, through the same authorizing service as
 * the pages. Refreshing stays a button in the portal.
 */
export function registerCostActions(
  actionsRegistry: ActionsRegistryService,
  auth: AuthService,
  costs: CostService,
) {
  const userOf = <T>(credentials: T, action: string) => {
    if (!auth.isPrincipal(credentials as any, 'user')) {
      throw new NotAllowedError(`${action} acts for a signed-in user`);
    }
    return credentials as any;
  };

  actionsRegistry.register({
    name: 'get-service-costs',
    title: 'What a service costs',
    description:
      'For one service: its cost over the last days (default 30) with CPU, memory, storage, network and GPU, the week-over-week and month-over-month change (flagged when large), and the monthly saving right-sizing its requests would bring, with the time of the last OpenCost sync.',
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .max(512)
            .describe('The service, e.g. component:default/invoice-service'),
          days: z.number().int().min(1).max(90).optional(),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          currency: z.string(),
          from: z.string(),
          to: z.string(),
          breakdown: z.record(z.number()),
          weekOverWeek: z.record(z.unknown()),
          monthOverMonth: z.record(z.unknown()),
          monthlySavings: z.number(),
          asOf: z.string().optional(),
          stale: z.boolean(),
        }),
    },
    action: async ({ input, credentials }) => {
      const caller = userOf(credentials, 'get-service-costs');
      let entityRef: string;
      try {
        entityRef = stringifyEntityRef(
          parseEntityRef(input.entityRef, { defaultKind: 'component' }),
        );
      } catch {
        throw new InputError(
          `"${input.entityRef}" is not an entity ref; use e.g. component:default/invoice-service`,
        );
      }
      const window = await costs.costs(caller, entityRef, input.days);
      const [trends, sizing] = await Promise.all([
        costs.trends(caller, entityRef),
        costs.rightSizing(caller, entityRef),
      ]);
      return {
        output: {
          entityRef: window.entityRef,
          currency: window.currency,
          from: window.from,
          to: window.to,
          breakdown: { ...window.breakdown },
          weekOverWeek: { ...trends.weekOverWeek },
          monthOverMonth: { ...trends.monthOverMonth },
          monthlySavings: sizing.monthlySavings,
          asOf: window.freshness.asOf,
          stale: window.freshness.stale,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-cost-overview',
    title: 'What every service and team costs',
    description:
      'The services the person may see with their cost over the last days (default 30) and the days before, most expensive first (the first `limit`, default 50, of `totalServices`), each owning team’s total, and the five services whose cost moved most.',
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z.object({
          days: z.number().int().min(1).max(90).optional(),
          limit: z.number().int().min(1).max(200).optional(),
        }),
      output: z =>
        z.object({
          currency: z.string(),
          from: z.string(),
          to: z.string(),
          services: z.array(z.record(z.unknown())),
          totalServices: z.number(),
          teams: z.array(z.record(z.unknown())),
          topMovers: z.array(z.record(z.unknown())),
          stale: z.boolean(),
        }),
    },
    action: async ({ input, credentials }) => {
      const overview = await costs.overview(
        userOf(credentials, 'get-cost-overview'),
        input.days,
        { limit: input.limit },
      );
      return {
        output: {
          currency: overview.currency,
          from: overview.from,
          to: overview.to,
          services: overview.services.map(s => ({ ...s })),
          totalServices: overview.totalServices,
          teams: overview.teams.map(t => ({ ...t })),
          topMovers: overview.topMovers.map(s => ({ ...s })),
          stale: overview.freshness.stale,
        },
      };
    },
  });
}
