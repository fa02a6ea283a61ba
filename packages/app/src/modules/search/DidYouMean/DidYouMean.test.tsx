import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SearchContextProvider } from '@backstage/plugin-search-react';
import { invoiceResult, searchTestApis } from '../testApis';
import { DidYouMean } from './DidYouMean';

describe('DidYouMean', () => {
  it('offers indexed names when a query finds nothing, and searches the one clicked', async () => {
    const { apis, queries } = searchTestApis({
      results: term => (term === 'invoice-service' ? [invoiceResult] : []),
      portal: {
        suggestions: async term => ({
          suggestions: term === 'invoce service' ? ['invoice-service'] : [],
          misspelt: term === 'invoce service',
        }),
      },
    });
    await renderInTestApp(
      <SearchContextProvider
        initialState={{
          term: 'invoce service',
          types: [],
          filters: {},
          pageCursor: undefined,
        }}
      >
        <DidYouMean />
      </SearchContextProvider>,
      { apis },
    );
    const nav = await screen.findByRole('navigation', { name: 'Did you mean' });
    fireEvent.click(screen.getByText('invoice-service'));
    await waitFor(() => expect(queries.at(-1)?.term).toBe('invoice-service'));
    await waitFor(() => expect(nav).not.toBeInTheDocument());
  });

  it('offers them when a word looks misspelt, even though near matches were found', async () => {
    const { apis } = searchTestApis({
      results: () => [invoiceResult, invoiceResult, invoiceResult],
      portal: {
        suggestions: async () => ({
          suggestions: ['invoice-service'],
          misspelt: true,
        }),
      },
    });
    await renderInTestApp(
      <SearchContextProvider
        initialState={{
          term: 'invoce',
          types: [],
          filters: {},
          pageCursor: undefined,
        }}
      >
        <DidYouMean />
      </SearchContextProvider>,
      { apis },
    );
    expect(await screen.findByText('invoice-service')).toBeInTheDocument();
  });

  it('stays quiet when the query finds enough and is spelt as indexed', async () => {
    const suggestions = jest.fn(async () => ({
      suggestions: ['never shown'],
      misspelt: false,
    }));
    const { apis } = searchTestApis({
      results: () => [invoiceResult, invoiceResult, invoiceResult],
      portal: { suggestions },
    });
    await renderInTestApp(
      <SearchContextProvider
        initialState={{
          term: 'invoice',
          types: [],
          filters: {},
          pageCursor: undefined,
        }}
      >
        <DidYouMean />
      </SearchContextProvider>,
      { apis },
    );
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(screen.queryByText('never shown')).not.toBeInTheDocument();
  });
});
