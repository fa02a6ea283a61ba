import {
  parseEntityRef,
  RELATION_API_PROVIDED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AuthorizeResult,
  isResourcePermission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import { SecurityConfig } from '../config/readSecurityConfig';
import { RoleResolver, Subject } from '../service/RoleResolver';
import { decideAccess, EntityRule, permissionQueryOf } from './decideAccess';
import { hasRelation } from './hasRelation';
import { grantedScope } from './grants';
import {
  isContractorRole,
  sensitiveActionOf,
} from '@internal/plugin-security-common';

type CatalogCriteria = PermissionCriteria<
  PermissionCondition<'catalog-entity'>
>;

/**
 * The restricted services as one catalog criterion (kind, namespace and name must all match), with the
 * APIs they provide.
 */
function isRestricted(
  restrictedServices: [string, ...string[]],
): CatalogCriteria {
  const services = isOneOf(restrictedServices);
  const theirApis: CatalogCriteria = {
    allOf: [
      catalogConditions.isEntityKind({ kinds: ['API'] }),
      hasRelation({
        relation: RELATION_API_PROVIDED_BY,
        targetRefs: restrictedServices.map(ref =>
          stringifyEntityRef(parseEntityRef(ref)),
        ),
      }),
    ],
  };
  return { anyOf: [theirApis, ...services] };
}

/** Exactly these entities, by kind, namespace and name. */
function isOneOf(entityRefs: string[]): CatalogCriteria[] {
  return entityRefs.map(ref => {
    const { kind, namespace, name } = parseEntityRef(ref);
    return {
      allOf: [
        catalogConditions.isEntityKind({ kinds: [kind] }),
        catalogConditions.hasMetadata({ key: 'namespace', value: namespace }),
        catalogConditions.hasMetadata({ key: 'name', value: name }),
      ],
    };
  });
}

export function catalogCriteriaFor(
  rules: EntityRule[],
  subject: Subject,
  config: SecurityConfig,
): CatalogCriteria[] {
  const restricted =
    config.contractorPolicy.accessBoundaries.restrictedServices;
  return rules.flatMap((rule): CatalogCriteria[] => {
    switch (rule) {
      case 'owned-by-subject':
        return [
          catalogConditions.isEntityOwner({ claims: subject.ownershipRefs }),
        ];
      case 'not-restricted':
        return restricted.length > 0
          ? [{ not: isRestricted(restricted as [string, ...string[]]) }]
          : [];
      case 'created-by-subject':
        throw new Error('created-by-subject is a rule on scaffolder tasks');
      case 'not-production':
        // The catalog compares spec values case-insensitively, so `lifecycle: Production` matches too.
        return [
          {
            not: catalogConditions.hasSpec({
              key: 'lifecycle',
              value: 'production',
            }),
          },
        ];
      default:
        throw new Error(`unknown entity rule ${rule satisfies never}`);
    }
  });
}

/**
 * The portal's permission policy: roles from catalog group membership, contractor boundaries from
 * security.contractorPolicy, and conditional decisions on catalog entities so that lists are filtered
 * (contractors simply do not see restricted services) instead of failing.
 */
export class SecurityPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly roles: RoleResolver,
    private readonly config: SecurityConfig,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const userRef = user?.info.userEntityRef;
    if (!userRef) {
      return { result: AuthorizeResult.DENY };
    }
    const subject = await this.roles.subjectOf(userRef);
    const { permission } = request;
    const decision = decideAccess(
      subject.role,
      permissionQueryOf(permission),
      this.config.contractorPolicy,
    );
    if (decision.result === 'allow') {
      return { result: AuthorizeResult.ALLOW };
    }
    const action = sensitiveActionOf(permission.name);
    const granted = action
      ? grantedScope(subject.grants ?? [], action, {
          now: new Date(),
          contractor: isContractorRole(subject.role),
          restrictedServices:
            this.config.contractorPolicy.accessBoundaries.restrictedServices,
        })
      : undefined;
    if (granted?.everywhere) {
      return { result: AuthorizeResult.ALLOW };
    }
    const grantedEntities =
      granted && isResourcePermission(permission, 'catalog-entity')
        ? isOneOf(granted.entityRefs)
        : [];
    if (decision.result === 'deny') {
      if (
        grantedEntities.length > 0 &&
        isResourcePermission(permission, 'catalog-entity')
      ) {
        return createCatalogConditionalDecision(permission, {
          anyOf: grantedEntities as [CatalogCriteria, ...CatalogCriteria[]],
        });
      }
      return { result: AuthorizeResult.DENY };
    }
    if (isResourcePermission(permission, 'scaffolder-task')) {
      // The only rule on tasks: the subject started it.
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({ createdBy: [subject.userRef] }),
      );
    }
    if (!isResourcePermission(permission, 'catalog-entity')) {
      return { result: AuthorizeResult.DENY };
    }
    const [first, ...rest] = catalogCriteriaFor(
      decision.rules,
      subject,
      this.config,
    );
    if (!first) {
      return { result: AuthorizeResult.ALLOW };
    }
    const byRole: CatalogCriteria =
      rest.length === 0 ? first : { allOf: [first, ...rest] };
    return createCatalogConditionalDecision(
      permission,
      grantedEntities.length > 0
        ? { anyOf: [byRole, ...grantedEntities] }
        : byRole,
    );
  }
}
