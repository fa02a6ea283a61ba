import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * A reference written in an entity's spec (`spec.owner`, `spec.parent`) as a full, lower-case entity ref,
 * read the way the catalog reads it: the kind defaults to `defaultKind` and the namespace to the entity's.
 */
export function specRefOf(
  value: unknown,
  entity: Entity,
  defaultKind: string,
): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind,
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/**
 * The entity's `spec.owner` as a full, lower-case entity ref: `team`, `group:team` and
 * `group:default/team` are the same owner (a group in the entity's namespace unless it names one).
 */
export function ownerRefOf(entity: Entity): string | undefined {
  return specRefOf(entity.spec?.owner, entity, 'group');
}

/** Whether one of these refs (a user's own and their groups') owns the entity. */
export function isOwnedBy(entity: Entity, ownershipRefs: string[]): boolean {
  const owner = ownerRefOf(entity);
  return (
    owner !== undefined &&
    ownershipRefs.some(ref => ref.toLocaleLowerCase('en-US') === owner)
  );
}
