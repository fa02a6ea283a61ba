import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Button from '@material-ui/core/Button';
import { Link } from '@backstage/core-components';
import { CatalogSearchResultListItem } from '@backstage/plugin-catalog';
import {
  DefaultResultListItem,
  SearchBar,
  SearchResult,
  useSearch,
} from '@backstage/plugin-search-react';
import { TechDocsSearchResultListItem } from '@backstage/plugin-techdocs';
import { DidYouMean } from '../DidYouMean';
import { IndexingNote } from '../IndexingNote';

/** The sidebar's search: the first results, "did you mean" when little is found, and a way to the page. */
export function PortalSearchModal({
  toggleModal,
}: {
  toggleModal: () => void;
}) {
  const { term } = useSearch();
  return (
    <>
      <DialogTitle>
        <SearchBar debounceTime={150} />
      </DialogTitle>
      <DialogContent>
        <DidYouMean />
        <IndexingNote />
        <SearchResult onClick={toggleModal}>
          {({ results }) => (
            <>
              {results
                .slice(0, 10)
                .map(({ type, document, highlight, rank }) => {
                  if (type === 'software-catalog') {
                    return (
                      <CatalogSearchResultListItem
                        key={document.location}
                        result={document}
                        highlight={highlight}
                        rank={rank}
                      />
                    );
                  }
                  if (type === 'techdocs') {
                    return (
                      <TechDocsSearchResultListItem
                        key={document.location}
                        result={document}
                        highlight={highlight}
                        rank={rank}
                      />
                    );
                  }
                  return (
                    <DefaultResultListItem
                      key={document.location}
                      result={document}
                    />
                  );
                })}
            </>
          )}
        </SearchResult>
        <Button
          component={Link}
          to={`/search?query=${encodeURIComponent(term)}`}
          onClick={toggleModal}
          color="primary"
        >
          All results and filters
        </Button>
      </DialogContent>
    </>
  );
}
