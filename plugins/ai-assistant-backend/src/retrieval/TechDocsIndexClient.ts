import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';

/** A page section as MkDocs' search index lists it. */
export interface DocsSection {
  location: string;
  title: string;
  text: string;
  /** The title of the page a section belongs to (the page's own entry has none). */
  pageTitle?: string;
}

/**
 * MkDocs lists every page twice: once whole, then heading by heading. Indexing both would count every
 * sentence twice and fill the first results with one page, so a page that has sections is kept only for
 * what comes before its first heading (MkDocs puts that nowhere else), and its sections carry its title.
 */
export function sectionsWithoutWholePages(docs: DocsSection[]): DocsSection[] {
  const pageOf = (location: string) => location.split('#')[0];
  const firstSection = new Map<string, DocsSection>();
  for (const doc of docs) {
    if (doc.location.includes('#') && !firstSection.has(pageOf(doc.location)))
      firstSection.set(pageOf(doc.location), doc);
  }
  const pageTitles = new Map(
    docs.filter(d => !d.location.includes('#')).map(d => [d.location, d.title]),
  );
  return docs.flatMap(doc => {
    if (doc.location.includes('#')) {
      const pageTitle = pageTitles.get(pageOf(doc.location));
      return [pageTitle ? { ...doc, pageTitle } : doc];
    }
    const first = firstSection.get(doc.location);
    if (!first) return [doc];
    const start = doc.text.indexOf(first.title);
    const lead = start > 0 ? doc.text.slice(0, start).trim() : '';
    return lead ? [{ ...doc, text: lead }] : [];
  });
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
      doc =>
        typeof doc.location === 'string' &&
        typeof doc.text === 'string' &&
        typeof doc.title === 'string',
    );
  }
}
