import {
  BackstageCredentials,
  CacheService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * The entities the caller may read, as the catalog's permission policy decides (contractor boundaries
 * included), each with its etag: which version of it the caller was allowed to see.
 */
export async function readableEntitiesOf(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<Map<string, string>> {
  const { items } = await catalog.getEntities(
    {
      fields: ['kind', 'metadata.namespace', 'metadata.name', 'metadata.etag'],
    },
    { credentials },
  );
  return new Map(
    items.map(entity => [
      stringifyEntityRef(entity),
      entity.metadata.etag ?? '',
    ]),
  );
}

/** The entity refs the caller may read: what facet counts and suggestions are computed over. */
export async function readableRefsOf(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<Set<string>> {
  return new Set((await readableEntitiesOf(catalog, credentials)).keys());
}

/** How long a caller's readable refs are reused: what a change of their rights may take to show here. */
export const READABLE_REFS_TTL_MS = 30_000;

/** readableEntitiesOf, kept in the cache service for a while per caller (facets and suggestions ask often). */
export async function cachedReadableEntitiesOf(
  cache: CacheService,
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<Map<string, string>> {
  const principal = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  const who = principal.userEntityRef ?? principal.subject;
  if (!who) return readableEntitiesOf(catalog, credentials);
  const key = `readable-entities:${who}`;
  const cached = (await cache.get(key).catch(() => undefined)) as
    | Array<[string, string]>
    | undefined;
  if (cached) return new Map(cached);
  const entities = await readableEntitiesOf(catalog, credentials);
  await cache
    .set(key, [...entities], { ttl: READABLE_REFS_TTL_MS })
    .catch(() => undefined);
  return entities;
}

/** The refs of cachedReadableEntitiesOf. */
export async function cachedReadableRefsOf(
  cache: CacheService,
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<Set<string>> {
  return new Set(
    (await cachedReadableEntitiesOf(cache, catalog, credentials)).keys(),
  );
}
