import { AuthService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { ServiceHealthService } from '../service/ServiceHealthService';

/**
 * What an agent on call may ask about a service for the person it acts for: deployments, alerting
 * monitors, open errors and the latest builds, each with how old it is. Syncing stays a button in the
 * portal, where the person confirms it.
 */
export function registerServiceHealthActions(
  actionsRegistry: ActionsRegistryService,
  auth: AuthService,
  health: ServiceHealthService,
) {
  actionsRegistry.register({
    name: 'get-service-health',
    title: "A service's delivery and health",
    description:
      "For one service: every environment's Argo CD sync and health, its Datadog monitors that are not OK, its unresolved Sentry issues and its latest CI runs, each with the time the data is from (stale when the upstream is down). Signals the service has no annotation for are left out.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .max(512)
            .describe('The service, e.g. component:default/invoice-service'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          deployments: z.array(z.record(z.unknown())).optional(),
          monitorsNotOk: z.array(z.record(z.unknown())).optional(),
          errors: z.array(z.record(z.unknown())).optional(),
          runs: z.array(z.record(z.unknown())).optional(),
          unavailable: z.array(z.string()),
        }),
    },
    action: async ({ input, credentials }) => {
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          'get-service-health acts for a signed-in user',
        );
      }
      const entityRef = stringifyEntityRef(
        parseEntityRef(input.entityRef, { defaultKind: 'component' }),
      );
      const unavailable: string[] = [];
      const attempt = async <T>(what: string, read: () => Promise<T>) => {
        try {
          return await read();
        } catch (error) {
          // A missing entity or one the person may not see is the whole answer, not a partial one.
          if (
            (error as Error).name === 'NotFoundError' &&
            what === 'deployments'
          ) {
            throw error;
          }
          unavailable.push(`${what}: ${(error as Error).message}`);
          return undefined;
        }
      };
      const [deployments, monitors, errors, changes] = await Promise.all([
        attempt('deployments', () =>
          health.deployments(credentials, entityRef),
        ),
        attempt('monitors', () => health.monitors(credentials, entityRef)),
        attempt('errors', () => health.errors(credentials, entityRef)),
        attempt('changes', () => health.changes(credentials, entityRef)),
      ]);
      return {
        output: {
          entityRef,
          ...(deployments
            ? {
                deployments: deployments.items.map(({ history: _h, ...d }) => ({
                  ...d,
                  asOf: deployments.freshness.asOf,
                })),
              }
            : {}),
          ...(monitors
            ? {
                monitorsNotOk: monitors.items
                  .filter(m => m.state !== 'OK')
                  .map(m => ({ ...m, asOf: monitors.freshness.asOf })),
              }
            : {}),
          ...(errors
            ? {
                errors: errors.items.map(e => ({
                  ...e,
                  asOf: errors.freshness.asOf,
                })),
              }
            : {}),
          ...(changes
            ? {
                runs: changes.runs.map(r => ({
                  ...r,
                  asOf: changes.freshness.asOf,
                })),
              }
            : {}),
          unavailable,
        },
      };
    },
  });
}
