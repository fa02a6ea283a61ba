import { waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SearchContextProvider } from '@backstage/plugin-search-react';
import { searchTestApis } from '../testApis';
import { SearchUrlState } from './SearchUrlState';

describe('SearchUrlState', () => {
  it('opens the search the address describes', async () => {
    const { apis, queries } = searchTestApis();
    await renderInTestApp(
      <SearchContextProvider>
        <SearchUrlState />
      </SearchContextProvider>,
      {
        apis,
        initialRouteEntries: [
          '/search?query=finalisation&types[]=techdocs&filters[kind][]=Component',
        ],
      },
    );
    await waitFor(() =>
      expect(queries.at(-1)).toMatchObject({
        term: 'finalisation',
        types: ['techdocs'],
        filters: { kind: ['Component'] },
      }),
    );
    expect(window.location.search).toContain('query=finalisation');
  });
});
