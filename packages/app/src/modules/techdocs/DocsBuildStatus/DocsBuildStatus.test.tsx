import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { DocsBuild, DocsBuildStatus } from './DocsBuildStatus';

jest.mock('@backstage/plugin-techdocs-react', () => ({
  useTechDocsReaderPage: () => ({
    entityRef: {
      namespace: 'default',
      kind: 'component',
      name: 'ledger-service',
    },
  }),
}));

async function renderWith(build: DocsBuild) {
  const requested: string[] = [];
  await renderInTestApp(<DocsBuildStatus />, {
    apis: [
      [
        discoveryApiRef,
        { getBaseUrl: async () => 'http://portal/api/techdocs' },
      ],
      [
        fetchApiRef,
        {
          fetch: async (url: RequestInfo | URL) => {
            requested.push(String(url));
            return new Response(JSON.stringify(build), {
              headers: { 'content-type': 'application/json' },
            });
          },
        },
      ],
    ],
  });
  return requested;
}

describe('DocsBuildStatus', () => {
  it("shows a failed build's error and when the docs shown were built", async () => {
    const requested = await renderWith({
      status: 'failed',
      error: 'mkdocs: nav entry runbook.md not found',
      lastSuccessAt: '2026-12-01T09:00:00.000Z',
    });
    expect(
      await screen.findByText(
        /The last docs build failed: mkdocs: nav entry runbook.md not found/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(
      new Date('2026-12-01T09:00:00.000Z').toLocaleString(),
    );
    expect(requested).toEqual([
      'http://portal/api/techdocs/build-status/default/component/ledger-service',
    ]);
  });

  it('says why there are no docs yet', async () => {
    await renderWith({
      status: 'unpublished',
      error:
        'No docs of component:default/ledger-service have been published yet',
    });
    expect(await screen.findByRole('status')).toHaveTextContent('No docs of');
  });

  it('shows nothing for current docs', async () => {
    await renderWith({
      status: 'built',
      lastSuccessAt: '2026-12-01T09:00:00.000Z',
    });
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });
});
