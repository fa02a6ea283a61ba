import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import qs from 'qs';

export type FacetField =
  | 'resultType'
  | 'kind'
  | 'type'
  | 'owner'
  | 'lifecycle'
  | 'tags';
export type FacetCounts = Record<FacetField, Record<string, number>>;

export interface PortalSearchQuery {
  term: string;
  types?: string[];
  filters?: JsonObject;
}

/** The portal's additions to search: facet counts, suggestions, which types are indexed yet. */
export interface PortalSearchApi {
  facets(query: PortalSearchQuery): Promise<FacetCounts>;
  /** Indexed names like the term, and whether a word of it looks misspelt. */
  suggestions(
    term: string,
  ): Promise<{ suggestions: string[]; misspelt: boolean }>;
  indexStatus(): Promise<Record<string, { indexed: boolean }>>;
}

export const portalSearchApiRef = createApiRef<PortalSearchApi>({
  id: 'plugin.search.portal',
});

export class PortalSearchClient implements PortalSearchApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  private async get<T>(path: string, query: object): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('search');
    const res = await this.options.fetchApi.fetch(
      `${base}${path}?${qs.stringify(query)}`,
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.json();
  }

  async facets(query: PortalSearchQuery) {
    return (await this.get<{ facets: FacetCounts }>('/facets', query)).facets;
  }

  async suggestions(term: string) {
    return this.get<{ suggestions: string[]; misspelt: boolean }>(
      '/suggestions',
      { term },
    );
  }

  async indexStatus() {
    return (
      await this.get<{ types: Record<string, { indexed: boolean }> }>(
        '/index-status',
        {},
      )
    ).types;
  }
}
