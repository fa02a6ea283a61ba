import { createElement } from 'react';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import { makeStyles } from '@material-ui/core/styles';
import { Content, Header, Page } from '@backstage/core-components';
import {
  DefaultResultListItem,
  SearchBar,
  SearchContextProvider,
  SearchPagination,
  SearchResult,
  SearchResultPager,
} from '@backstage/plugin-search-react';
import {
  SearchResultItemExtensionComponent,
  SearchResultItemExtensionPredicate,
} from '@backstage/plugin-search-react/alpha';
import { DidYouMean } from '../DidYouMean';
import { IndexingNote } from '../IndexingNote';
import { SearchFacets } from '../SearchFacets';
import { SearchUrlState } from '../SearchUrlState';

export interface ResultItem {
  predicate?: SearchResultItemExtensionPredicate;
  component: SearchResultItemExtensionComponent;
}

const useStyles = makeStyles(theme => ({
  facets: { padding: theme.spacing(2), marginTop: theme.spacing(2) },
  hints: { margin: theme.spacing(1, 0) },
}));

/**
 * Search over services, APIs, teams, templates and docs: the results with each kind's own list item,
 * counted facets to narrow them, "did you mean" when little is found, and a note while indexing runs.
 */
export function PortalSearchPage({ items }: { items: ResultItem[] }) {
  const classes = useStyles();
  const itemFor = (
    result: Parameters<NonNullable<ResultItem['predicate']>>[0],
  ) =>
    items.find(item => item.predicate?.(result))?.component ??
    DefaultResultListItem;
  return (
    <SearchContextProvider>
      <SearchUrlState />
      <Page themeId="home">
        <Header title="Search" />
        <Content>
          <Grid container direction="row">
            <Grid item xs={12}>
              <SearchBar debounceTime={150} />
              <div className={classes.hints}>
                <DidYouMean />
                <IndexingNote />
              </div>
            </Grid>
            <Grid item xs={3}>
              <Paper className={classes.facets}>
                <SearchFacets />
              </Paper>
            </Grid>
            <Grid item xs>
              <SearchPagination />
              <SearchResult>
                {({ results }) => (
                  <>
                    {results.map((result, index) => {
                      const { document, ...rest } = result;
                      return createElement(itemFor(result) as any, {
                        ...rest,
                        key: `${document.location}-${index}`,
                        result: document,
                      });
                    })}
                  </>
                )}
              </SearchResult>
              <SearchResultPager />
            </Grid>
          </Grid>
        </Content>
      </Page>
    </SearchContextProvider>
  );
}
