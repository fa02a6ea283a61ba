import {
  BackstageCredentials,
  CacheService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * The entity refs the caller may read, as the catalog's permission policy decides (contractor boundaries
 * included): what facet counts and suggestions are computed over.
 */
export async function readableRefsOf(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<Set<string>> {
  const { items } = await catalog.getEntities(
    { fields: ['kind', 'metadata.namespace', 'metadata.name'] },
    { credentials },
  );
  return new Set(items.map(entity => stringifyEntityRef(entity)));
}

/** How long a caller's readable refs are reused: what a change of their rights may take to show here. */
export const READABLE_REFS_TTL_MS = 30_000;

/** readableRefsOf, kept in the cache service for a while per caller (facets and suggestions ask often). */
export async function cachedReadableRefsOf(
  cache: CacheService,
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<Set<string>> {
  const principal = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  const who = principal.userEntityRef ?? principal.subject;
  if (!who) return readableRefsOf(catalog, credentials);
  const key = `readable-refs:${who}`;
  const cached = (await cache.get(key).catch(() => undefined)) as
    | string[]
    | undefined;
  if (cached) return new Set(cached);
  const refs = await readableRefsOf(catalog, credentials);
  await cache
    .set(key, [...refs], { ttl: READABLE_REFS_TTL_MS })
    .catch(() => undefined);
  return refs;
}
