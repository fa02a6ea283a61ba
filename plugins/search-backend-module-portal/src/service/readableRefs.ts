import { BackstageCredentials } from '@backstage/backend-plugin-api';
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
