import {
  AuthService,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_LOCATION,
  Entity,
  RELATION_MEMBER_OF,
} from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import { Role, specRefOf } from '@internal/plugin-security-common';
import { SecurityConfig } from '../config/readSecurityConfig';
import { resolveRole } from '../policy/resolveRole';
import { isTrustedOrgEntity } from '../policy/trustedOrgSources';
import { ActiveGrant } from '../policy/grants';

export interface Subject {
  userRef: string;
  role: Role;
  /** The user and every trusted group they belong to, directly or through parent groups. */
  ownershipRefs: string[];
  /** Time-boxed grants recorded for the user (e.g. by an access-request workflow), not yet expired or revoked. */
  grants: ActiveGrant[];
}

/** Where a user's active grants come from: the security plugin's store, or the security backend over HTTP. */
export type GrantSource = (userRef: string) => Promise<ActiveGrant[]>;

const MAX_GROUP_DEPTH = 10;
/** A user the catalog does not know gets the most restricted role; remembered this long so a burst of checks costs one lookup. */
const UNKNOWN_USER_CACHE_MS = 5_000;

/**
 * Resolves a user's groups and role from the catalog. Only User and Group entities whose
 * `backstage.io/managed-by-location` matches security.trustedOrgSources count (the org provider's, not any
 * repository's catalog-info.yaml), so nobody becomes a member of a team by committing a Group.
 * Results are cached in the cache service (Redis in production, shared by all replicas) for
 * security.roleCacheSeconds.
 */
export class RoleResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly cache: CacheService,
    private readonly auth: AuthService,
    private readonly config: SecurityConfig,
    private readonly grantsOf: GrantSource = async () => [],
    private readonly logger?: LoggerService,
    /**
     * Whether grants are cached with the role. The security plugin reads them fresh from its own database
     * (a revocation counts at once there); the permission policy reads them over HTTP and caches them.
     */
    private readonly cacheGrants = true,
  ) {}

  async subjectOf(userRef: string): Promise<Subject> {
    const subject = await this.cachedSubjectOf(userRef);
    if (this.cacheGrants) return subject;
    return { ...subject, grants: (await this.readGrants(userRef)).found };
  }

  private async readGrants(userRef: string) {
    return this.grantsOf(userRef.toLocaleLowerCase('en-US')).then(
      found => ({ found, complete: true }),
      error => {
        // Without its grants the subject keeps what its role gives: never more, and only briefly.
        this.logger?.warn(
          `Could not read the grants of ${userRef}: ${
            (error as Error).message
          }`,
        );
        return { found: [] as ActiveGrant[], complete: false };
      },
    );
  }

  private async cachedSubjectOf(userRef: string): Promise<Subject> {
    const key = cacheKeyOf(userRef);
    const cached = (await this.cache.get(key)) as Subject | undefined;
    if (cached) {
      return cached;
    }
    let groups: string[] | undefined;
    try {
      groups = await this.groupsOf(userRef);
    } catch (error) {
      // Nothing the caller can fix by changing the request: a 503, never a 500.
      throw new ServiceUnavailableError(
        `The catalog could not say which groups ${userRef} is in; try again shortly (${
          (error as Error).message
        })`,
      );
    }
    // Read fresh on every call instead (subjectOf) when grants are not cached with the role.
    const grants = this.cacheGrants
      ? await this.readGrants(userRef)
      : { found: [] as ActiveGrant[], complete: true };
    if (groups === undefined) {
      const unknown: Subject = {
        userRef,
        role: resolveRole(userRef, [], {
          ...this.config,
          defaultRole: this.config.contractorPolicy.defaultRole,
        }),
        ownershipRefs: [userRef],
        grants: grants.found,
      };
      // Briefly, and only ever the most restricted role: a new employee waits seconds, never gains access early.
      await this.cache.set(key, unknown as any, {
        ttl: Math.min(
          UNKNOWN_USER_CACHE_MS,
          this.config.roleCacheSeconds * 1000,
        ),
      });
      return unknown;
    }
    const subject: Subject = {
      userRef,
      role: resolveRole(userRef, groups, this.config),
      ownershipRefs: [userRef, ...groups],
      grants: grants.found,
    };
    const ttl = this.config.roleCacheSeconds * 1000;
    await this.cache.set(key, subject as any, {
      ttl: grants.complete ? ttl : Math.min(UNKNOWN_USER_CACHE_MS, ttl),
    });
    return subject;
  }

  private trusted(entity: Entity): boolean {
    return isTrustedOrgEntity(
      entity.metadata.annotations?.[ANNOTATION_LOCATION],
      this.config.trustedOrgSources,
    );
  }

  /** The user's trusted groups, direct and inherited; undefined when no trusted source knows the user. */
  private async groupsOf(userRef: string): Promise<string[] | undefined> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const user = await this.catalog.getEntityByRef(userRef, { credentials });
    if (!user || !this.trusted(user)) {
      return undefined;
    }
    const found = new Set<string>();
    let frontier = directGroups(user);
    for (
      let depth = 0;
      frontier.length > 0 && depth < MAX_GROUP_DEPTH;
      depth++
    ) {
      const fresh = frontier.filter(ref => !found.has(ref));
      if (fresh.length === 0) {
        break;
      }
      const { items } = await this.catalog.getEntitiesByRefs(
        {
          entityRefs: fresh,
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.annotations',
            'spec.parent',
          ],
        },
        { credentials },
      );
      // A group someone declared in a repository neither makes its members part of a team nor passes on its parent.
      const trustedGroups = items.flatMap((group, i) =>
        group && this.trusted(group) ? [{ ref: fresh[i], group }] : [],
      );
      trustedGroups.forEach(({ ref }) => found.add(ref));
      frontier = trustedGroups.flatMap(({ group }) => parentGroup(group));
    }
    return [...found];
  }
}

function cacheKeyOf(userRef: string): string {
  return `role:${userRef.toLocaleLowerCase('en-US')}`;
}

function directGroups(user: Entity): string[] {
  return (user.relations ?? [])
    .filter(r => r.type === RELATION_MEMBER_OF)
    .map(r => r.targetRef.toLocaleLowerCase('en-US'));
}

function parentGroup(group: Entity): string[] {
  const ref = specRefOf(group.spec?.parent, group, 'group');
  return ref ? [ref] : [];
}
