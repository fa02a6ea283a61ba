import { Entity } from '@backstage/catalog-model';

/** A catalog entity as the catalog returns it, with memberOf relations for users. */
export function catalogEntity(
  kind: string,
  name: string,
  spec: object,
  memberOf: string[] = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec,
    relations: memberOf.map(group => ({
      type: 'memberOf',
      targetRef: `group:default/${group}`,
    })),
  };
}
