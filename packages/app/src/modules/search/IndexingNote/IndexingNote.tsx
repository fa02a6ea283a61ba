import { useApi } from '@backstage/core-plugin-api';
import { useSearch } from '@backstage/plugin-search-react';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { portalSearchApiRef } from '../api/PortalSearchClient';

const NAMES: Record<string, string> = {
  'software-catalog': 'the software catalog',
  techdocs: 'documentation',
};

/** When a search finds nothing and some content is not indexed yet, says so instead of a bare "no results". */
export function IndexingNote() {
  const api = useApi(portalSearchApiRef);
  const { result, types } = useSearch();
  const empty = !result.loading && (result.value?.results.length ?? 0) === 0;
  const { value: pending } = useAsync(async () => {
    if (!empty) return [];
    const status = await api.indexStatus();
    return Object.entries(status)
      .filter(
        ([type, { indexed }]) =>
          !indexed && (types.length === 0 || types.includes(type)),
      )
      .map(([type]) => NAMES[type] ?? type);
  }, [api, empty, JSON.stringify(types)]);
  if (!pending?.length) return null;
  return (
    <Alert severity="info">
      Indexing of {pending.join(' and ')} is in progress; results will appear
      within a minute or two.
    </Alert>
  );
}
