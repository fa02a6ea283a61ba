import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';

/** A page section as MkDocs' search index lists it. */
export interface DocsSection {
  location: string;
  title: string;
  text: string;
}

/**
 * Reads the published docs of an entity as TechDocs serves them (the search_index.json MkDocs writes),
 * with the plugin's own token: the same files the search collator reads.
 */
export class TechDocsIndexClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  /** The entity's docs sections; undefined when it has no published docs (yet). */
  async sectionsOf(
    entity: CompoundEntityRef,
  ): Promise<DocsSection[] | undefined> {
    const base = await this.discovery.getBaseUrl('techdocs');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'techdocs',
    });
    const url = `${base}/static/docs/${encodeURIComponent(
      entity.namespace,
    )}/${encodeURIComponent(entity.kind)}/${encodeURIComponent(
      entity.name,
    )}/search/search_index.json`;
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status === 404) return undefined;
    if (!response.ok) {
      throw new Error(`TechDocs answered ${response.status} for ${url}`);
    }
    const index = (await response.json()) as { docs?: DocsSection[] };
    return (index.docs ?? []).filter(
      doc => typeof doc.location === 'string' && typeof doc.text === 'string',
    );
  }
}
