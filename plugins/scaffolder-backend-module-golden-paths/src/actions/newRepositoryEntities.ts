import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { parseAllDocuments } from 'yaml';

/** An owner, repository or branch name as GitHub allows them, but never `.` or `..`. */
const SAFE_PATH_PART = /^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;

/** Catalog files of new repositories are small; anything bigger is not a golden path's. */
export const MAX_CATALOG_FILE_BYTES = 64 * 1024;

export interface RepositoryLocation {
  host: string;
  owner: string;
  repo: string;
  branch: string;
}

/**
 * Where a repository's contents are, from publish:github's repoContentsUrl
 * (https://<host>/<owner>/<repo>/blob/<branch>).
 */
export function parseRepoContentsUrl(url: string): RepositoryLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`repoContentsUrl is not a URL: ${url.slice(0, 200)}`);
  }
  const parts = parsed.pathname.split('/').filter(Boolean);
  if (
    parsed.protocol !== 'https:' ||
    parts.length !== 4 ||
    parts[2] !== 'blob' ||
    parsed.search ||
    parsed.hash
  ) {
    throw new InputError(
      `repoContentsUrl must look like https://<host>/<owner>/<repo>/blob/<branch>, got ${url.slice(
        0,
        200,
      )}`,
    );
  }
  const [owner, repo, , branch] = parts;
  if (![owner, repo, branch].every(part => SAFE_PATH_PART.test(part))) {
    throw new InputError(
      `repoContentsUrl names an owner, repository or branch that is not plain: ${url.slice(
        0,
        200,
      )}`,
    );
  }
  return { host: parsed.host, owner, repo, branch };
}

/**
 * The one entity a golden path's catalog file defines: a Component in the default namespace, named like
 * its new repository, that says it lives there. Anything else (more documents, other kinds or names,
 * another namespace, another repository) is refused, so template input cannot smuggle entities in.
 */
export function entitiesOfNewRepository(
  yamlText: string,
  location: RepositoryLocation,
): Entity[] {
  if (Buffer.byteLength(yamlText, 'utf8') > MAX_CATALOG_FILE_BYTES) {
    throw new InputError(
      `catalog-info.yaml is larger than ${MAX_CATALOG_FILE_BYTES / 1024} KB`,
    );
  }
  const documents = parseAllDocuments(yamlText);
  const entities: Entity[] = [];
  for (const document of documents) {
    if (document.errors.length > 0) {
      throw new InputError(
        `catalog-info.yaml is not valid YAML: ${document.errors[0].message}`,
      );
    }
    const entity = document.toJS() as Entity | null;
    if (entity === null) continue;
    if (typeof entity !== 'object' || !entity.metadata?.name) {
      throw new InputError(
        'catalog-info.yaml holds something that is not an entity',
      );
    }
    entities.push(entity);
  }
  if (entities.length !== 1) {
    throw new InputError(
      `catalog-info.yaml of a golden path defines exactly one Component, not ${entities.length} entities`,
    );
  }
  const [entity] = entities;
  const expected = `${location.owner}/${location.repo}`;
  if (
    entity.kind !== 'Component' ||
    entity.metadata.name !== location.repo ||
    (entity.metadata.namespace ?? 'default') !== 'default'
  ) {
    throw new InputError(
      `catalog-info.yaml of ${expected} must define component:default/${
        location.repo
      }, not ${stringifyEntityRef(entity)}`,
    );
  }
  const slug = entity.metadata.annotations?.['github.com/project-slug'];
  if (slug !== expected) {
    throw new InputError(
      `${stringifyEntityRef(entity)} names the repository ${
        slug ?? '(none)'
      }, but it is defined in ${expected}`,
    );
  }
  return entities;
}
