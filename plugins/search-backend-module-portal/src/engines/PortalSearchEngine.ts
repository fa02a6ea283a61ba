import { SearchEngine, SearchQuery } from '@backstage/plugin-search-common';
import { FacetCounts } from './facets';

/** A search engine that also counts facets over everything a query matches that the caller may read. */
export interface PortalSearchEngine extends SearchEngine {
  facets(
    query: Pick<SearchQuery, 'term' | 'types' | 'filters'>,
    readableRefs: ReadonlySet<string>,
  ): Promise<FacetCounts>;
}
