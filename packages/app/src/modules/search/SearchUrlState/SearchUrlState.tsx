import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';
import qs from 'qs';
import { useSearch } from '@backstage/plugin-search-react';
import { JsonObject } from '@backstage/types';

/**
 * The search in the address bar, both ways: /search?query=ledger&types[]=techdocs opens that search, and
 * every change of term, type, filter or page is written back, so a search can be shared and reloaded.
 */
export function SearchUrlState() {
  const location = useLocation();
  const {
    term,
    setTerm,
    types,
    setTypes,
    filters,
    setFilters,
    pageCursor,
    setPageCursor,
  } = useSearch();

  useEffect(() => {
    const query = qs.parse(location.search.slice(1), { arrayLimit: 100 });
    if (typeof query.query === 'string') setTerm(query.query);
    if (Array.isArray(query.types)) setTypes(query.types.map(String));
    if (query.filters && typeof query.filters === 'object') {
      setFilters(query.filters as JsonObject);
    }
    if (typeof query.pageCursor === 'string') setPageCursor(query.pageCursor);
    // Only what the address said when the page opened (or the person navigated).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.search]);

  useEffect(() => {
    const search = qs.stringify(
      { query: term, types, filters, pageCursor },
      { arrayFormat: 'brackets' },
    );
    window.history.replaceState(
      null,
      document.title,
      `${window.location.pathname}?${search}`,
    );
  }, [term, types, filters, pageCursor]);
  return null;
}
