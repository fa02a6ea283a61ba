import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * The entity's `spec.owner` as a full, lower-case entity ref: `team`, `group:team` and
 * `group:default/team` are the same owner (a group in the entity's namespace unless it names one).
 */
export function ownerRefOf(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || owner.trim() === '') {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(owner.trim(), {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/** Whether one of these refs (a user's own and their groups') owns the entity. */
export function isOwnedBy(entity: Entity, ownershipRefs: string[]): boolean {
  const owner = ownerRefOf(entity);
  return (
    owner !== undefined &&
    ownershipRefs.some(ref => ref.toLocaleLowerCase('en-US') === owner)
  );
}
