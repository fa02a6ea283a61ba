import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SearchContextProvider } from '@backstage/plugin-search-react';
import { invoiceResult, searchTestApis } from '../testApis';
import { IndexingNote } from './IndexingNote';

const state = {
  term: 'runbook',
  types: [],
  filters: {},
  pageCursor: undefined,
};
const docsPending = {
  indexStatus: async () => ({
    'software-catalog': { indexed: true },
    techdocs: { indexed: false },
  }),
};

describe('IndexingNote', () => {
  it('says documentation is still being indexed when a search finds nothing', async () => {
    const { apis } = searchTestApis({ portal: docsPending });
    await renderInTestApp(
      <SearchContextProvider initialState={state}>
        <IndexingNote />
      </SearchContextProvider>,
      { apis },
    );
    expect(
      await screen.findByText(/Indexing of documentation is in progress/),
    ).toBeInTheDocument();
  });

  it('says nothing when there are results', async () => {
    const { apis } = searchTestApis({
      results: () => [invoiceResult],
      portal: docsPending,
    });
    await renderInTestApp(
      <SearchContextProvider initialState={state}>
        <IndexingNote />
      </SearchContextProvider>,
      { apis },
    );
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(screen.queryByText(/Indexing of/)).not.toBeInTheDocument();
  });
});
