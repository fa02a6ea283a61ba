import { screen } from '@testing-library/react';
import { FRESH, renderCard, service, STALE } from '../../__testUtils__/cards';
import { DeploymentsCard } from './DeploymentsCard';

const annotated = service({
  'argocd/app-selector': 'backstage-name=fraud-screening',
});
const items = [
  {
    application: 'fraud-screening-dev',
    environment: 'development',
    syncStatus: 'Synced',
    health: 'Healthy',
    revision: 'a1b2c3d4e5f6',
    lastSyncedAt: new Date(Date.now() - 3_600_000).toISOString(),
    url: 'https://argocd/applications/fraud-screening-dev',
  },
  {
    application: 'fraud-screening-staging',
    environment: 'staging',
    syncStatus: 'OutOfSync',
    health: 'Missing',
    operation: {
      phase: 'Failed',
      message: 'admission webhook denied the request',
    },
    url: 'https://argocd/applications/fraud-screening-staging',
  },
  {
    application: 'fraud-screening-prod',
    environment: 'production',
    syncStatus: 'Synced',
    health: 'Progressing',
    url: 'https://argocd/applications/fraud-screening-prod',
  },
];

describe('DeploymentsCard', () => {
  it('shows each environment with sync, health, revision and a failed sync with its logs', async () => {
    await renderCard(<DeploymentsCard />, annotated, {
      deployments: async () => ({ items, freshness: FRESH }),
    });
    expect(await screen.findByText('development')).toBeInTheDocument();
    expect(screen.getByText('staging')).toBeInTheDocument();
    expect(screen.getByText('production')).toBeInTheDocument();
    expect(screen.getByText('sync failed')).toBeInTheDocument();
    expect(screen.getByText(/admission webhook denied/)).toBeInTheDocument();
    expect(screen.getByText('logs').closest('a')).toHaveAttribute(
      'href',
      'https://argocd/applications/fraud-screening-staging',
    );
    expect(screen.getByText('a1b2c3d')).toBeInTheDocument();
  });

  it('says which annotation to add when the service has none', async () => {
    await renderCard(<DeploymentsCard />, service({}), {});
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(screen.getAllByText(/argocd\/app-selector/).length).toBeGreaterThan(
      0,
    );
  });

  it('shows the last deployments with their age when Argo CD is down', async () => {
    await renderCard(<DeploymentsCard />, annotated, {
      deployments: async () => ({ items, freshness: STALE }),
    });
    expect(await screen.findByRole('status')).toHaveTextContent(/3 h ago/);
    expect(screen.getByText('staging')).toBeInTheDocument();
  });
});
