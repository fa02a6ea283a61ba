import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  readSecurityConfig,
  RoleResolver,
  SecurityPermissionPolicy,
} from '@internal/plugin-security-backend';

/**
 * For tests on the test backend: permission checks go straight to the security policy, since the mock
 * HTTP auth cannot express the on-behalf-of tokens the permission backend expects. The catalog applies
 * the policy's conditional decisions to its own queries, as in production; a conditional decision on one
 * resource (search's per-result check) is decided as the permission backend would, by whether the
 * catalog shows that entity to the user.
 */
export const permissionsViaSecurityPolicy = createServiceFactory({
  service: coreServices.permissions,
  deps: {
    config: coreServices.rootConfig,
    cache: coreServices.cache,
    auth: coreServices.auth,
    catalog: catalogServiceRef,
  },
  factory: ({ config, cache, auth, catalog }): PermissionsService => {
    const securityConfig = readSecurityConfig(config);
    const policy = new SecurityPermissionPolicy(
      new RoleResolver(catalog, cache, auth, securityConfig),
      securityConfig,
    );
    const decide = (permission: any, credentials: BackstageCredentials) => {
      const principal = credentials.principal as {
        type: string;
        userEntityRef?: string;
      };
      if (principal.type !== 'user') {
        return { result: AuthorizeResult.ALLOW } as const;
      }
      return policy.handle({ permission }, {
        info: {
          userEntityRef: principal.userEntityRef!,
          ownershipEntityRefs: [],
        },
      } as any);
    };
    return {
      authorizeConditional: (queries, { credentials }) =>
        Promise.all(queries.map(q => decide(q.permission, credentials))) as any,
      authorize: (queries, { credentials }) =>
        Promise.all(
          queries.map(async q => {
            const decision = await decide(q.permission, credentials);
            if (decision.result === AuthorizeResult.ALLOW) {
              return { result: AuthorizeResult.ALLOW };
            }
            const resourceRef = (q as { resourceRef?: string }).resourceRef;
            if (
              decision.result === AuthorizeResult.CONDITIONAL &&
              resourceRef &&
              q.permission.name === 'catalog.entity.read'
            ) {
              const visible = await catalog.getEntityByRef(resourceRef, {
                credentials,
              });
              return {
                result: visible ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
              };
            }
            return { result: AuthorizeResult.DENY };
          }),
        ) as any,
    };
  },
});
