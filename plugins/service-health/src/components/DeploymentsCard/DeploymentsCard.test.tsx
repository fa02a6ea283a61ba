import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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

  it('syncs an environment and follows it until Argo CD reports the outcome', async () => {
    const sync = jest.fn(async () => ({
      ...items[0],
      operation: { phase: 'Running', message: 'syncing: applying manifests' },
    }));
    const deployments = jest
      .fn()
      .mockResolvedValueOnce({ items, freshness: FRESH })
      .mockResolvedValue({
        items: [
          { ...items[0], operation: { phase: 'Succeeded' } },
          ...items.slice(1),
        ],
        freshness: FRESH,
      });
    await renderCard(<DeploymentsCard />, annotated, { deployments, sync });
    await userEvent
      .setup({ delay: null })
      .click(await screen.findByRole('button', { name: 'Sync development' }));
    expect(sync).toHaveBeenCalledWith(
      'component:default/invoice-service',
      'fraud-screening-dev',
    );
    expect(await screen.findByText('Syncing…')).toBeInTheDocument();
    expect(screen.getByText('syncing')).toBeInTheDocument();
    await waitFor(
      () =>
        expect(
          screen.getByRole('button', { name: 'Sync development' }),
        ).toHaveTextContent(/^Sync$/),
      { timeout: 5000 },
    );
    expect(deployments).toHaveBeenCalledWith(
      'component:default/invoice-service',
      {
        refresh: true,
      },
    );
  });

  it("shows the backend's refusal when the person may not sync", async () => {
    await renderCard(<DeploymentsCard />, annotated, {
      deployments: async () => ({ items, freshness: FRESH }),
      sync: async () => {
        throw new Error(
          'You may not sync fraud-screening-prod: contractors never sync production',
        );
      },
    });
    await userEvent
      .setup({ delay: null })
      .click(await screen.findByRole('button', { name: 'Sync production' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'contractors never sync production',
    );
  });
});
