import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SearchContextProvider } from '@backstage/plugin-search-react';
import { searchTestApis } from '../testApis';
import { mergedByCase, SearchFacets } from './SearchFacets';

describe('SearchFacets', () => {
  it('shows each facet with its count, one entry for values that differ only in case', async () => {
    const { apis } = searchTestApis();
    await renderInTestApp(
      <SearchContextProvider
        initialState={{
          term: 'invoice',
          types: [],
          filters: {},
          pageCursor: undefined,
        }}
      >
        <SearchFacets />
      </SearchContextProvider>,
      { apis },
    );
    expect(await screen.findByLabelText('Component (4)')).toBeInTheDocument();
    expect(screen.getByLabelText('API (1)')).toBeInTheDocument();
    expect(screen.getByLabelText('Documentation (2)')).toBeInTheDocument();
    expect(screen.getByLabelText('team-billing (3)')).toBeInTheDocument();
  });

  it('narrows the search by a facet value, in every spelling of it', async () => {
    const { apis, queries } = searchTestApis();
    await renderInTestApp(
      <SearchContextProvider
        initialState={{
          term: 'invoice',
          types: [],
          filters: {},
          pageCursor: undefined,
        }}
      >
        <SearchFacets />
      </SearchContextProvider>,
      { apis },
    );
    fireEvent.click(await screen.findByLabelText('Component (4)'));
    await waitFor(() =>
      expect(queries.at(-1)?.filters).toEqual({
        kind: ['Component', 'component'],
      }),
    );
    fireEvent.click(screen.getByLabelText('Documentation (2)'));
    await waitFor(() => expect(queries.at(-1)?.types).toEqual(['techdocs']));
  });

  it('merges values by case and orders them by count', () => {
    expect(mergedByCase({ component: 2, Component: 2, API: 5 })).toEqual([
      { label: 'API', values: ['API'], count: 5 },
      { label: 'Component', values: ['component', 'Component'], count: 4 },
    ]);
  });
});
