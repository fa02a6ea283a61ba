import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { SecurityConfig } from '../config/readSecurityConfig';

/** The config keys of mapped groups the catalog does not know, e.g. "security.roles[2].group (group:default/qa)". */
export async function findUnknownMappedGroups(
  config: Pick<SecurityConfig, 'groupRoles'>,
  catalog: CatalogService,
  auth: AuthService,
): Promise<string[]> {
  if (config.groupRoles.length === 0) {
    return [];
  }
  const { items } = await catalog.getEntitiesByRefs(
    {
      entityRefs: config.groupRoles.map(m => m.group),
      fields: ['kind', 'metadata.name'],
    },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  return config.groupRoles.flatMap((mapping, i) =>
    items[i] ? [] : [`security.roles[${i}].group (${mapping.group})`],
  );
}

/**
 * A mapped group must exist, but startup cannot wait for it: in a fresh deployment the catalog of this
 * same backend imports the groups after startup. So the check runs shortly after start and then hourly,
 * and logs an error naming each unknown key.
 */
export async function scheduleMappedGroupsCheck(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  catalog: CatalogService;
  auth: AuthService;
  config: SecurityConfig;
}) {
  await options.scheduler.scheduleTask({
    id: 'security-mapped-groups-check',
    frequency: { hours: 1 },
    timeout: { minutes: 2 },
    initialDelay: { minutes: 2 },
    fn: async () => {
      const unknown = await findUnknownMappedGroups(
        options.config,
        options.catalog,
        options.auth,
      );
      for (const key of unknown) {
        options.logger.error(
          `Invalid config at ${key}: no such group in the catalog; its members get no role from it`,
        );
      }
    },
  });
}
