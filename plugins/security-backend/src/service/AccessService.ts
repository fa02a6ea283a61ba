import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AccessResult,
  isContractorRole,
  isOwnedBy,
  isSensitiveAction,
  ownerRefOf,
  SENSITIVE_ACTIONS,
  SENSITIVE_ACTION_KEYS,
  SensitiveAction,
} from '@internal/plugin-security-common';
import { SecurityConfig } from '../config/readSecurityConfig';
import {
  decideAccess,
  EntityFacts,
  EntityRule,
  evaluateOnEntity,
} from '../policy/decideAccess';
import { RoleResolver, Subject } from './RoleResolver';
import { coversEntity, grantedScope, GrantedScope } from '../policy/grants';

const CONDITION_TEXT = {
  'owned-by-subject': 'services you own',
  'not-restricted': 'services that are not restricted',
  'not-production': 'services not in production',
  'created-by-subject': 'tasks you started',
} as const satisfies Record<EntityRule, string>;

/** The catalog compares spec values case-insensitively; so does the policy (`lifecycle: Production` is production). */
export function isProductionLifecycle(entity: Entity): boolean {
  return (
    String(entity.spec?.lifecycle ?? '')
      .trim()
      .toLocaleLowerCase('en-US') === 'production'
  );
}

export function parseSensitiveAction(
  value: unknown,
  field: string,
): SensitiveAction {
  if (typeof value !== 'string' || !isSensitiveAction(value)) {
    throw new InputError(
      `${field} must be one of ${SENSITIVE_ACTION_KEYS.join(
        ', ',
      )}; got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function missingEntity(entityRef: string, readAs?: BackstageCredentials) {
  return readAs
    ? `No entity ${entityRef} in the catalog, or you may not see it`
    : `No entity ${entityRef} in the catalog`;
}

/** Whether a user may perform a sensitive action at all (checkContractorAccess) or on one entity (validateUserPermissions), on top of decideAccess. */
export class AccessService {
  constructor(
    private readonly roles: RoleResolver,
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly config: SecurityConfig,
  ) {}

  subjectOf(userRef: string): Promise<Subject> {
    return this.roles.subjectOf(userRef);
  }

  /** Whether a user may perform an action at all, and on which services, before any service is chosen. */
  async checkContractorAccess(
    userRef: string,
    action: SensitiveAction,
  ): Promise<AccessResult> {
    return this.accessOf(await this.roles.subjectOf(userRef), action);
  }

  /** checkContractorAccess for a subject already resolved (one catalog lookup per request, not per action). */
  accessOf(subject: Subject, action: SensitiveAction): AccessResult {
    const byRole = this.accessByRole(subject, action);
    const granted = this.grantedScopeOf(subject, action);
    if (granted.everywhere) {
      return { allowed: true, reason: `granted until ${granted.until}` };
    }
    if (granted.entityRefs.length === 0) {
      return byRole;
    }
    const onGranted = `granted on ${granted.entityRefs.join(', ')} until ${
      granted.until
    }`;
    return byRole.allowed
      ? { ...byRole, reason: `${byRole.reason ?? 'allowed'}; ${onGranted}` }
      : { allowed: true, reason: `only ${onGranted}` };
  }

  /** Where the subject's unexpired grants allow the action beyond its role. */
  grantedScopeOf(subject: Subject, action: SensitiveAction): GrantedScope {
    return grantedScope(subject.grants ?? [], action, {
      now: new Date(),
      contractor: isContractorRole(subject.role),
      restrictedServices:
        this.config.contractorPolicy.accessBoundaries.restrictedServices,
    });
  }

  private accessByRole(
    subject: Subject,
    action: SensitiveAction,
  ): AccessResult {
    const decision = decideAccess(
      subject.role,
      SENSITIVE_ACTIONS[action],
      this.config.contractorPolicy,
    );
    if (decision.result === 'deny') {
      return { allowed: false, reason: decision.reason };
    }
    let reason: string | undefined;
    if (decision.result === 'conditional') {
      const conditions = decision.rules.map(rule => CONDITION_TEXT[rule]);
      reason = `allowed on ${conditions.join(' and ')}`;
    } else if (!isContractorRole(subject.role)) {
      reason = `${subject.role} is not a contractor role`;
    }
    return {
      allowed: true,
      ...(reason ? { reason } : {}),
      ...(decision.requiresApproval
        ? { requiresApproval: true, approvers: this.adminGroups() }
        : {}),
    };
  }

  /** Whether a user may perform an action on one entity, with its approvers when an approval is needed. */
  async validateUserPermissions(
    userRef: string,
    action: SensitiveAction,
    entityRef: string,
    readAs?: BackstageCredentials,
  ): Promise<AccessResult> {
    const subject = await this.roles.subjectOf(userRef);
    return this.decideOn(await this.entity(entityRef, readAs), subject, action);
  }

  /** validateUserPermissions for many entities: the subject resolved once, the entities read in one request. */
  async validateUserPermissionsOnMany(
    userRef: string,
    action: SensitiveAction,
    entityRefs: string[],
    readAs?: BackstageCredentials,
  ): Promise<AccessResult[]> {
    for (const ref of entityRefs) {
      try {
        parseEntityRef(ref);
      } catch (error) {
        throw new InputError(
          `'${ref}' is not an entity ref: ${(error as Error).message}`,
        );
      }
    }
    const subject = await this.roles.subjectOf(userRef);
    let entities: Array<Entity | undefined>;
    try {
      ({ items: entities } = await this.catalog.getEntitiesByRefs(
        { entityRefs },
        { credentials: readAs ?? (await this.auth.getOwnServiceCredentials()) },
      ));
    } catch (error) {
      throw new ServiceUnavailableError(
        `The catalog could not be asked about ${
          entityRefs.length
        } entities; try again shortly (${(error as Error).message})`,
      );
    }
    return entities.map((entity, i) =>
      entity
        ? this.decideOn(entity, subject, action)
        : {
            allowed: false,
            reason: missingEntity(entityRefs[i], readAs),
          },
    );
  }

  private decideOn(
    entity: Entity,
    subject: Subject,
    action: SensitiveAction,
  ): AccessResult {
    const decision = decideAccess(
      subject.role,
      SENSITIVE_ACTIONS[action],
      this.config.contractorPolicy,
    );
    const outcome = evaluateOnEntity(decision, this.factsOf(entity, subject));
    const granted = this.grantedScopeOf(subject, action);
    if (
      (!outcome.allowed || outcome.requiresApproval) &&
      coversEntity(granted, stringifyEntityRef(entity))
    ) {
      // The grant was the approval: a workflow's approver already said yes for this entity.
      return { allowed: true, reason: `granted until ${granted.until}` };
    }
    return {
      allowed: outcome.allowed,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      ...(outcome.requiresApproval
        ? {
            requiresApproval: true,
            approvers: this.approversOf(entity, subject),
          }
        : {}),
    };
  }

  /**
   * Owners of the entity decide its approvals, unless the requester is one of them (nobody approves their
   * own team's request); then, as without an owner, the admin groups do.
   */
  approversOf(entity: Entity, requester: Subject): string[] {
    const ownerRef = ownerRefOf(entity);
    if (ownerRef && !isOwnedBy(entity, requester.ownershipRefs)) {
      return [ownerRef];
    }
    return this.adminGroups();
  }

  adminGroups(): string[] {
    return this.config.groupRoles
      .filter(m => m.role === 'admin')
      .map(m => m.group);
  }

  /**
   * The entity, read with `readAs` when given (a user asking about their own access sees only what they
   * may read, so a missing and a hidden entity answer alike), else with the plugin's own credentials.
   */
  async entity(
    entityRef: string,
    readAs?: BackstageCredentials,
  ): Promise<Entity> {
    try {
      parseEntityRef(entityRef);
    } catch (error) {
      throw new InputError(
        `'${entityRef}' is not an entity ref: ${(error as Error).message}`,
      );
    }
    const credentials = readAs ?? (await this.auth.getOwnServiceCredentials());
    let entity: Entity | undefined;
    try {
      entity = await this.catalog.getEntityByRef(entityRef, { credentials });
    } catch (error) {
      // The catalog is down or failing: nothing the caller can fix by changing the request.
      throw new ServiceUnavailableError(
        `The catalog could not be asked about ${entityRef}; try again shortly (${
          (error as Error).message
        })`,
      );
    }
    if (!entity) {
      throw new NotFoundError(missingEntity(entityRef, readAs));
    }
    return entity;
  }

  factsOf(entity: Entity, subject: Subject): EntityFacts {
    const ref = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
    return {
      owned: isOwnedBy(entity, subject.ownershipRefs),
      restricted:
        this.config.contractorPolicy.accessBoundaries.restrictedServices.includes(
          ref,
        ),
      production: isProductionLifecycle(entity),
    };
  }
}
