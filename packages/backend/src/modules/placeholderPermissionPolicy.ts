import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

export type PlaceholderPolicyMode = 'allow-all' | 'read-only';

const MODES: readonly PlaceholderPolicyMode[] = ['allow-all', 'read-only'];

/**
 * Stands in until the security plugin's contractor-aware policy replaces it.
 * 'read-only' (the default, and what production uses) lets every signed-in user
 * read and denies every create, update, delete or unlabelled action.
 */
export function decidePlaceholderPermission(
  mode: PlaceholderPolicyMode,
  request: PolicyQuery,
): PolicyDecision {
  if (mode === 'allow-all') {
    return { result: AuthorizeResult.ALLOW };
  }
  return request.permission.attributes.action === 'read'
    ? { result: AuthorizeResult.ALLOW }
    : { result: AuthorizeResult.DENY };
}

export function readPlaceholderPolicyMode(
  value: string | undefined,
): PlaceholderPolicyMode {
  if (value === undefined) {
    return 'read-only';
  }
  if (!(MODES as readonly string[]).includes(value)) {
    throw new Error(
      `Invalid portal.permissionPolicy '${value}': use one of ${MODES.join(
        ', ',
      )}`,
    );
  }
  return value as PlaceholderPolicyMode;
}

export const placeholderPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'placeholder-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ policy, config, logger }) {
        const mode = readPlaceholderPolicyMode(
          config.getOptionalString('portal.permissionPolicy'),
        );
        logger.info(`Placeholder permission policy in '${mode}' mode`);
        const placeholderPolicy: PermissionPolicy = {
          async handle(request) {
            return decidePlaceholderPermission(mode, request);
          },
        };
        policy.setPolicy(placeholderPolicy);
      },
    });
  },
});
