import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';

const SLUG_ANNOTATION = 'github.com/project-slug';

/**
 * The repository a migration may open a pull request in: the one the entity is defined in. The
 * `github.com/project-slug` annotation is the owner's to edit, so on its own it could point the portal's
 * GitHub token at someone else's repository; `backstage.io/managed-by-location` is set by the catalog.
 */
export function pullRequestTarget(
  entity: Entity,
  githubHost: string,
): { slug: string } | { refusal: string } {
  const slug = entity.metadata.annotations?.[SLUG_ANNOTATION];
  if (!slug) {
    return {
      refusal: `${entity.metadata.name} has no ${SLUG_ANNOTATION} annotation, so there is no repository to open a pull request in`,
    };
  }
  const location = entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? '';
  const prefix = `url:https://${githubHost.toLocaleLowerCase('en-US')}/`;
  const defined = location.toLocaleLowerCase('en-US').startsWith(prefix)
    ? location.slice(prefix.length).split('/').slice(0, 2).join('/')
    : undefined;
  if (!defined || defined.split('/').length !== 2) {
    return {
      refusal: `${
        entity.metadata.name
      } is not defined in a ${githubHost} repository (${
        location || 'no location'
      }), so the portal will not open a pull request for it`,
    };
  }
  if (defined.toLocaleLowerCase('en-US') !== slug.toLocaleLowerCase('en-US')) {
    return {
      refusal: `${SLUG_ANNOTATION} names ${slug}, but ${entity.metadata.name} is defined in ${defined}; the portal only opens pull requests in the repository an entity comes from`,
    };
  }
  return { slug: defined };
}
