import { AuthService, CacheService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Entity, RELATION_MEMBER_OF } from '@backstage/catalog-model';
import { Role } from '@internal/plugin-security-common';
import { SecurityConfig } from '../config/readSecurityConfig';
import { resolveRole } from '../policy/resolveRole';

export interface Subject {
  userRef: string;
  role: Role;
  /** The user and every group they belong to, directly or through parent groups. */
  ownershipRefs: string[];
}

const MAX_GROUP_DEPTH = 10;

/**
 * Resolves a user's groups and role from the catalog. Results are cached in the cache service (shared by
 * all replicas) for security.roleCacheSeconds, so a membership change shows within that time after the
 * catalog has picked it up.
 */
export class RoleResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly cache: CacheService,
    private readonly auth: AuthService,
    private readonly config: SecurityConfig,
  ) {}

  async subjectOf(userRef: string): Promise<Subject> {
    const key = `role:${userRef.toLocaleLowerCase('en-US')}`;
    const cached = (await this.cache.get(key)) as Subject | undefined;
    if (cached) {
      return cached;
    }
    const groups = await this.groupsOf(userRef);
    if (groups === undefined) {
      // Not (yet) in the catalog: the most restricted role, not cached, so the catalog's answer counts as soon as it has one.
      return {
        userRef,
        role: resolveRole(userRef, [], {
          ...this.config,
          defaultRole: this.config.contractorPolicy.defaultRole,
        }),
        ownershipRefs: [userRef],
      };
    }
    const subject: Subject = {
      userRef,
      role: resolveRole(userRef, groups, this.config),
      ownershipRefs: [userRef, ...groups],
    };
    await this.cache.set(key, subject as any, {
      ttl: this.config.roleCacheSeconds * 1000,
    });
    return subject;
  }

  /** The user's groups, direct and inherited; undefined when the catalog does not know the user. */
  private async groupsOf(userRef: string): Promise<string[] | undefined> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const user = await this.catalog.getEntityByRef(userRef, { credentials });
    if (!user) {
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
      fresh.forEach(ref => found.add(ref));
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
            'spec.parent',
          ],
        },
        { credentials },
      );
      frontier = items.flatMap(group => (group ? parentGroup(group) : []));
    }
    return [...found];
  }
}

function directGroups(user: Entity | undefined): string[] {
  return (user?.relations ?? [])
    .filter(r => r.type === RELATION_MEMBER_OF)
    .map(r => r.targetRef.toLocaleLowerCase('en-US'));
}

function parentGroup(group: Entity): string[] {
  const parent = group.spec?.parent;
  if (typeof parent !== 'string') {
    return [];
  }
  const ref = parent.includes(':')
    ? parent
    : `group:${group.metadata.namespace ?? 'default'}/${parent}`;
  return [ref.toLocaleLowerCase('en-US')];
}
