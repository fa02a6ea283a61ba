import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import { useSearch } from '@backstage/plugin-search-react';
import useAsync from 'react-use/esm/useAsync';
import { portalSearchApiRef } from '../api/PortalSearchClient';

/** Fewer results than this and the page offers what the person may have meant. */
export const FEW_RESULTS = 3;

/**
 * "Did you mean": indexed names like the query, when it finds little or a word of it looks misspelt (the
 * search still finds near matches); a click searches the suggestion.
 */
export function DidYouMean() {
  const api = useApi(portalSearchApiRef);
  const { term, setTerm, result } = useSearch();
  const few =
    !result.loading &&
    !result.error &&
    (result.value?.numberOfResults ?? result.value?.results.length ?? 0) <
      FEW_RESULTS;
  const { value } = useAsync(
    async () => (term.trim() ? api.suggestions(term) : undefined),
    [api, term],
  );
  const suggestions = value && (few || value.misspelt) ? value.suggestions : [];
  if (!suggestions.length) return null;
  return (
    <nav aria-label="Did you mean">
      <Typography variant="body2" component="span">
        Did you mean:{' '}
      </Typography>
      {suggestions.map(suggestion => (
        <Chip
          key={suggestion}
          label={suggestion}
          size="small"
          clickable
          onClick={() => setTerm(suggestion)}
          style={{ marginRight: 4 }}
        />
      ))}
    </nav>
  );
}
