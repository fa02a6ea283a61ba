import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';

/**
 * The GitHub repository a github.com/project-slug may name: the one the entity is defined in when the
 * catalog read it from GitHub (an owner cannot point the portal's token at another team's repository).
 * Entities from files (the development catalog) are taken at their word.
 */
export function githubRepositoryOf(
  entity: Entity,
  slug: string,
): { owner: string; repo: string } | { refusal: string } {
  const match = /^([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})$/.exec(
    slug.trim(),
  );
  if (!match) {
    return {
      refusal: `github.com/project-slug must be <owner>/<repository>, not '${slug}'`,
    };
  }
  const [, owner, repo] = match;
  const location = entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? '';
  const fromGithub = /^url:https:\/\/github\.com\/([^/]+)\/([^/]+)\//i.exec(
    location,
  );
  if (
    fromGithub &&
    (fromGithub[1].toLowerCase() !== owner.toLowerCase() ||
      fromGithub[2].toLowerCase() !== repo.toLowerCase())
  ) {
    return {
      refusal: `github.com/project-slug names ${owner}/${repo}, but this entity is defined in ${fromGithub[1]}/${fromGithub[2]}; the portal reads only the repository an entity comes from`,
    };
  }
  return { owner, repo };
}
