import { SearchResultSet } from '@backstage/plugin-search-common';
import { searchApiRef } from '@backstage/plugin-search-react';
import {
  FacetCounts,
  PortalSearchApi,
  portalSearchApiRef,
} from './api/PortalSearchClient';

export const FACETS: FacetCounts = {
  resultType: { 'software-catalog': 3, techdocs: 2 },
  kind: { Component: 2, component: 2, API: 1 },
  type: { service: 2, openapi: 1 },
  owner: { 'team-billing': 3 },
  lifecycle: { production: 3 },
  tags: { java: 2 },
};

export const invoiceResult = {
  type: 'software-catalog',
  document: {
    title: 'invoice-service',
    text: 'Invoice lifecycle',
    location: '/catalog/default/component/invoice-service',
    kind: 'Component',
  },
};

/** The search API and the portal's additions, recording every query the page sends. */
export function searchTestApis(
  options: {
    results?: (term: string) => SearchResultSet['results'];
    portal?: Partial<PortalSearchApi>;
  } = {},
) {
  const queries: Array<{ term: string; types?: string[]; filters?: object }> =
    [];
  const searchApi = {
    query: jest.fn(
      async (query: { term: string; types?: string[]; filters?: object }) => {
        queries.push(query);
        const results = options.results?.(query.term) ?? [];
        return { results, numberOfResults: results.length };
      },
    ),
  };
  const portalApi: PortalSearchApi = {
    facets: async () => FACETS,
    suggestions: async () => ({ suggestions: [], misspelt: false }),
    indexStatus: async () => ({
      'software-catalog': { indexed: true },
      techdocs: { indexed: true },
    }),
    ...options.portal,
  };
  return {
    queries,
    apis: [
      [searchApiRef, searchApi],
      [portalSearchApiRef, portalApi],
    ] as const,
  };
}
