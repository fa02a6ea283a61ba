import { screen, waitFor } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { OpenCostApi, openCostApiRef } from '../../api/OpenCostClient';
import {
  annotated,
  costs,
  forbidden as forbiddenError,
  service,
  trends,
} from '../testFixtures';
import { CostCard } from './CostCard';

function renderCard(entity: Entity, api: Partial<OpenCostApi>) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <CostCard />
    </EntityProvider>,
    {
      apis: [
        [
          openCostApiRef,
          {
            costs: async () => costs(),
            trends: async () => trends(0.04, false),
            ...api,
          },
        ],
      ],
    },
  );
}

describe('CostCard', () => {
  it("shows the last 30 days' total, its parts, each day and how old the data is", async () => {
    await renderCard(annotated, {});
    const card = await screen.findByRole('region', {
      name: 'Cost of the last 30 days',
    });
    expect(card).toHaveTextContent('$420');
    expect(screen.getByText('CPU')).toBeInTheDocument();
    expect(screen.getByText('$231')).toBeInTheDocument();
    expect(screen.getByText('Memory')).toBeInTheDocument();
    expect(screen.queryByText('GPU')).not.toBeInTheDocument();
    expect(screen.queryByText('Shared and other')).not.toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Daily cost' })).toBeInTheDocument();
    expect(screen.getByText('+4% week over week')).toBeInTheDocument();
    expect(screen.getByText('OpenCost data as of 5 h ago')).toBeInTheDocument();
  });

  it('flags a large change', async () => {
    await renderCard(annotated, { trends: async () => trends(1.6, true) });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '+160% week over week (a large change)',
    );
  });

  it('marks the last synced figures stale when OpenCost could not be read', async () => {
    await renderCard(annotated, {
      costs: async () =>
        costs({
          asOf: new Date(Date.now() - 3 * 86_400_000).toISOString(),
          stale: true,
          problem:
            'OpenCost could not be read for 3 days; these are the last synced figures',
        }),
    });
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Stale: OpenCost data as of 3 days ago (OpenCost could not be read for 3 days; these are the last synced figures)',
    );
  });

  it('says which annotation to add when the service has none', async () => {
    await renderCard(service({}), {});
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/opencost\/service-label/).length,
    ).toBeGreaterThan(0);
  });

  it('shows nothing to someone who may not see costs', async () => {
    const forbidden = await forbiddenError('contractors do not see cost data');
    const load = jest.fn(async () => {
      throw forbidden;
    });
    const { container } = await renderCard(annotated, { costs: load });
    await waitFor(() => expect(load).toHaveBeenCalled());
    await waitFor(() =>
      expect(screen.queryByRole('progressbar')).not.toBeInTheDocument(),
    );
    expect(screen.queryByText('Cost')).not.toBeInTheDocument();
    expect(container.textContent).toBe('');
  });
});
