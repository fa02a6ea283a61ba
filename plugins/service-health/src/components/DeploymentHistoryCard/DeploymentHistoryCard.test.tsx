import { screen, within } from '@testing-library/react';
import { FRESH, renderCard, service, STALE } from '../../__testUtils__/cards';
import { DeploymentHistoryCard } from './DeploymentHistoryCard';

const hoursAgo = (h: number) =>
  new Date(Date.now() - h * 3_600_000).toISOString();
const items = [
  {
    application: 'invoice-service-dev',
    environment: 'development',
    syncStatus: 'Synced',
    health: 'Healthy',
    history: [
      { revision: 'aaaaaaa1111', deployedAt: hoursAgo(1) },
      { revision: 'bbbbbbb2222', deployedAt: hoursAgo(30) },
    ],
  },
  {
    application: 'invoice-service-prod',
    environment: 'production',
    syncStatus: 'Synced',
    health: 'Degraded',
    history: [{ revision: 'ccccccc3333', deployedAt: hoursAgo(5) }],
  },
];
const annotated = service({
  'argocd/app-selector': 'backstage-name=invoice-service',
});

describe('DeploymentHistoryCard', () => {
  it("lists every environment's syncs, newest first", async () => {
    await renderCard(<DeploymentHistoryCard />, annotated, {
      deployments: async () => ({ items, freshness: FRESH }),
    });
    const table = await screen.findByRole('table', {
      name: 'Deployment history',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      '1 h agodevelopmentaaaaaaa',
      '5 h agoproductionccccccc',
      '30 h agodevelopmentbbbbbbb',
    ]);
  });

  it('says which annotation to add, and marks stale history', async () => {
    await renderCard(<DeploymentHistoryCard />, service({}), {});
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
  });

  it('shows the last history with its age when Argo CD is down', async () => {
    await renderCard(<DeploymentHistoryCard />, annotated, {
      deployments: async () => ({ items, freshness: STALE }),
    });
    expect(await screen.findByRole('status')).toHaveTextContent(/Stale/);
  });
});
