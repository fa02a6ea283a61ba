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
        suggestions: async term =>
          term === 'invoce service' ? ['invoice-service'] : [],
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

  it('stays quiet when the query finds enough', async () => {
    const suggestions = jest.fn(async () => ['never shown']);
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
    expect(suggestions).not.toHaveBeenCalled();
  });
});
