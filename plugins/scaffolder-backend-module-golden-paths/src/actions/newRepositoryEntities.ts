import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { parseAllDocuments } from 'yaml';

/** The kinds a golden path's catalog-info.yaml may define: software, never who owns what. */
const REGISTRABLE_KINDS = new Set(['Component', 'API', 'Resource']);

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
  return { host: parsed.host, owner, repo, branch };
}

/**
 * The entities a new repository's catalog file defines, refused unless each is software that says it
 * lives in that very repository (so the file cannot claim another team's repository or define groups).
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
    if (!REGISTRABLE_KINDS.has(entity.kind)) {
      throw new InputError(
        `catalog-info.yaml may define ${[...REGISTRABLE_KINDS].join(
          ', ',
        )} only, not ${entity.kind}`,
      );
    }
    const slug = entity.metadata.annotations?.['github.com/project-slug'];
    const expected = `${location.owner}/${location.repo}`;
    if (slug !== undefined && slug !== expected) {
      throw new InputError(
        `${stringifyEntityRef(
          entity,
        )} names the repository ${slug}, but it is defined in ${expected}`,
      );
    }
    entities.push(entity);
  }
  if (!entities.some(e => e.kind === 'Component')) {
    throw new InputError('catalog-info.yaml defines no Component');
  }
  return entities;
}
