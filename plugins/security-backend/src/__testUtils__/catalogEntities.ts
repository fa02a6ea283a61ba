import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';

/** Where the test organisation's users and groups come from; security.trustedOrgSources of the tests. */
export const TRUSTED_ORG_SOURCES = ['file:/org/*.yaml'];
export const TRUSTED_ORG_LOCATION = 'file:/org/teams.yaml';

/**
 * A catalog entity as the catalog returns it, with memberOf relations for users. Users and groups come from
 * the trusted org file unless another `managedByLocation` is given (e.g. a repository's catalog-info.yaml).
 */
export function catalogEntity(
  kind: string,
  name: string,
  spec: object,
  memberOf: string[] = [],
  managedByLocation = kind === 'User' || kind === 'Group'
    ? TRUSTED_ORG_LOCATION
    : 'url:https://github.com/quillstack/services/blob/main/catalog-info.yaml',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      annotations: { [ANNOTATION_LOCATION]: managedByLocation },
    },
    spec,
    relations: memberOf.map(group => ({
      type: 'memberOf',
      targetRef: `group:default/${group}`,
    })),
  };
}
