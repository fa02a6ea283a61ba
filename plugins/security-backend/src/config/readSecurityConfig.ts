import { Config } from '@backstage/config';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  ContractorRBACPolicy,
  isContractorRole,
  isRole,
  isSensitiveAction,
  Role,
  ROLES,
  SensitiveAction,
  SENSITIVE_ACTION_KEYS,
} from '@internal/plugin-security-common';

export interface RoleMapping {
  /** A group entity ref, e.g. group:default/team-platform. */
  group: string;
  role: Role;
}

export interface SecurityConfig {
  defaultRole: Role;
  groupRoles: RoleMapping[];
  /** Roles given to single users, e.g. the development guest. */
  userRoles: Array<{ user: string; role: Role }>;
  /** Glob patterns of the `backstage.io/managed-by-location` of User and Group entities that roles trust. */
  trustedOrgSources: string[];
  contractorPolicy: ContractorRBACPolicy;
  internalDomains: string[];
  approvalTtlHours: number;
  auditRetentionDays: number;
  /** How long a user's resolved role is cached; membership changes show within this plus the catalog refresh. */
  roleCacheSeconds: number;
  grants: GrantsConfig;
}

export interface GrantsConfig {
  fromPlugins: string[];
  grantableActions: SensitiveAction[];
  maxHours: number;
}

/** What a grant may never give: reading the trail of who was granted what, and deciding approvals. */
export const NEVER_GRANTABLE: SensitiveAction[] = [
  'audit.read',
  'approval.decide',
];

/** Startup fails with this when security config is wrong; the message names the key. */
export class SecurityConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`Invalid config at ${key}: ${problem}`);
    this.name = 'SecurityConfigError';
  }
}

function readRole(config: Config, key: string, fullKey: string): Role {
  const value = config.getString(key);
  if (!isRole(value)) {
    throw new SecurityConfigError(
      fullKey,
      `unknown role '${value}'; use one of ${ROLES.join(', ')}`,
    );
  }
  return value;
}

function readEntityRef(
  value: string,
  kind: 'group' | 'user',
  fullKey: string,
): string {
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: kind,
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new SecurityConfigError(
      fullKey,
      `'${value}' is not an entity ref (${(error as Error).message})`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== kind) {
    throw new SecurityConfigError(
      fullKey,
      `'${value}' is a ${ref.kind}, not a ${kind}`,
    );
  }
  return `${kind}:${ref.namespace}/${ref.name}`.toLocaleLowerCase('en-US');
}

function readNonNegative(
  config: Config,
  key: string,
  fallback: number,
  prefix = 'security.',
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new SecurityConfigError(
      `${prefix}${key}`,
      `must be a number of 0 or more, got ${value}`,
    );
  }
  return value;
}

/** Retention of 0 days would delete the whole audit trail at the next run. */
function readAtLeast(
  config: Config,
  key: string,
  fallback: number,
  minimum: number,
  prefix = 'security.',
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value < minimum) {
    throw new SecurityConfigError(
      `${prefix}${key}`,
      `must be a number of ${minimum} or more, got ${value}`,
    );
  }
  return value;
}

const DEFAULT_CONTRACTOR_POLICY: ContractorRBACPolicy = {
  defaultRole: 'contractor-viewer',
  permissions: {
    canCreateServices: false,
    canViewCostData: false,
    canTriggerDeployments: false,
    canAccessProduction: false,
    allowedNamespaces: [],
    dataRetentionDays: 90,
  },
  accessBoundaries: {
    restrictedServices: [],
    allowedIntegrations: [],
    requiresApproval: [],
  },
};

function readContractorPolicy(
  config: Config | undefined,
): ContractorRBACPolicy {
  if (!config) {
    return DEFAULT_CONTRACTOR_POLICY;
  }
  const prefix = 'security.contractorPolicy';
  const defaultRole =
    config.getOptionalString('defaultRole') ??
    DEFAULT_CONTRACTOR_POLICY.defaultRole;
  if (!isRole(defaultRole) || !isContractorRole(defaultRole)) {
    throw new SecurityConfigError(
      `${prefix}.defaultRole`,
      `must be contractor-viewer or contractor-developer, got '${defaultRole}'`,
    );
  }
  const p = config.getOptionalConfig('permissions');
  const d = DEFAULT_CONTRACTOR_POLICY.permissions;
  const b = config.getOptionalConfig('accessBoundaries');
  const requiresApproval = (
    b?.getOptionalStringArray('requiresApproval') ?? []
  ).map((action, i) => {
    if (!isSensitiveAction(action)) {
      throw new SecurityConfigError(
        `${prefix}.accessBoundaries.requiresApproval[${i}]`,
        `unknown action '${action}'; use one of ${SENSITIVE_ACTION_KEYS.join(
          ', ',
        )}`,
      );
    }
    return action as SensitiveAction;
  });
  const restrictedServices = (
    b?.getOptionalStringArray('restrictedServices') ?? []
  ).map((ref, i) => {
    try {
      const parsed = parseEntityRef(ref, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      });
      return `${parsed.kind}:${parsed.namespace}/${parsed.name}`.toLocaleLowerCase(
        'en-US',
      );
    } catch (error) {
      throw new SecurityConfigError(
        `${prefix}.accessBoundaries.restrictedServices[${i}]`,
        `'${ref}' is not an entity ref (${(error as Error).message})`,
      );
    }
  });
  return {
    defaultRole: defaultRole as ContractorRBACPolicy['defaultRole'],
    permissions: {
      canCreateServices:
        p?.getOptionalBoolean('canCreateServices') ?? d.canCreateServices,
      canViewCostData:
        p?.getOptionalBoolean('canViewCostData') ?? d.canViewCostData,
      canTriggerDeployments:
        p?.getOptionalBoolean('canTriggerDeployments') ??
        d.canTriggerDeployments,
      canAccessProduction:
        p?.getOptionalBoolean('canAccessProduction') ?? d.canAccessProduction,
      allowedNamespaces:
        p?.getOptionalStringArray('allowedNamespaces') ?? d.allowedNamespaces,
      dataRetentionDays: p
        ? readAtLeast(
            p,
            'dataRetentionDays',
            d.dataRetentionDays,
            1,
            `${prefix}.permissions.`,
          )
        : d.dataRetentionDays,
    },
    accessBoundaries: {
      restrictedServices,
      allowedIntegrations:
        b?.getOptionalStringArray('allowedIntegrations') ?? [],
      requiresApproval,
    },
  };
}

function readGrantsConfig(config: Config | undefined): GrantsConfig {
  const prefix = 'security.grants';
  const grantableActions = (
    config?.getOptionalStringArray('grantableActions') ??
    SENSITIVE_ACTION_KEYS.filter(action => !NEVER_GRANTABLE.includes(action))
  ).map((action, i) => {
    if (!isSensitiveAction(action)) {
      throw new SecurityConfigError(
        `${prefix}.grantableActions[${i}]`,
        `unknown action '${action}'; use one of ${SENSITIVE_ACTION_KEYS.join(
          ', ',
        )}`,
      );
    }
    if (NEVER_GRANTABLE.includes(action)) {
      throw new SecurityConfigError(
        `${prefix}.grantableActions[${i}]`,
        `${action} cannot be granted by a workflow; give the person a role instead`,
      );
    }
    return action;
  });
  return {
    fromPlugins: config?.getOptionalStringArray('fromPlugins') ?? ['n8n'],
    grantableActions,
    maxHours: config
      ? readAtLeast(config, 'maxHours', 72, 1, `${prefix}.`)
      : 72,
  };
}

/** Reads and validates `security.*`; throws SecurityConfigError naming the offending key. */
export function readSecurityConfig(root: Config): SecurityConfig {
  const config = root.getOptionalConfig('security');
  const contractorPolicy = readContractorPolicy(
    config?.getOptionalConfig('contractorPolicy'),
  );
  const groupRoles = (config?.getOptionalConfigArray('roles') ?? []).map(
    (entry, i) => {
      const key = `security.roles[${i}]`;
      const group = readEntityRef(
        entry.getString('group'),
        'group',
        `${key}.group`,
      );
      const role = entry.has('role')
        ? readRole(entry, 'role', `${key}.role`)
        : contractorPolicy.defaultRole;
      return { group, role };
    },
  );
  const userRoles = (config?.getOptionalConfigArray('users') ?? []).map(
    (entry, i) => {
      const key = `security.users[${i}]`;
      return {
        user: readEntityRef(entry.getString('user'), 'user', `${key}.user`),
        role: readRole(entry, 'role', `${key}.role`),
      };
    },
  );
  const trustedOrgSources = (
    config?.getOptionalStringArray('trustedOrgSources') ?? []
  ).map((pattern, i) => {
    if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(pattern)) {
      throw new SecurityConfigError(
        `security.trustedOrgSources[${i}]`,
        `'${pattern}' is not a location pattern such as url:https://github.com/orgs/<org>/teams/* or file:**/catalog/org/*.yaml`,
      );
    }
    return pattern;
  });
  return {
    defaultRole: config?.has('defaultRole')
      ? readRole(config, 'defaultRole', 'security.defaultRole')
      : 'viewer',
    groupRoles,
    userRoles,
    trustedOrgSources,
    contractorPolicy,
    internalDomains: config?.getOptionalStringArray('internalDomains') ?? [],
    approvalTtlHours: config
      ? readNonNegative(config, 'approvals.ttlHours', 24)
      : 24,
    auditRetentionDays: config
      ? readAtLeast(config, 'audit.retentionDays', 365, 1)
      : 365,
    roleCacheSeconds: config
      ? readNonNegative(config, 'roleCacheSeconds', 60)
      : 60,
    grants: readGrantsConfig(config?.getOptionalConfig('grants')),
  };
}
