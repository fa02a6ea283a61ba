import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { OpenCostApi, openCostApiRef } from '../../api/OpenCostClient';
import {
  annotated,
  benchmark,
  costs,
  FRESH,
  forbidden,
  rightSizing,
  service,
  trends,
} from '../testFixtures';
import { EntityCostContent } from './EntityCostContent';

function renderTab(entity: Entity, api: Partial<OpenCostApi>) {
  const full: OpenCostApi = {
    costs: async () => costs(),
    trends: async () => trends(0.04, false),
    benchmark: async () => benchmark,
    recommendations: async () => rightSizing,
    overview: async () => {
      throw new Error('not on the tab');
    },
    refresh: async () => FRESH,
    ...api,
  };
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityCostContent />
    </EntityProvider>,
    { apis: [[openCostApiRef, full]] },
  );
}

describe('EntityCostContent', () => {
  it('shows each day by part, what right-sizing saves and where the service stands among its peers', async () => {
    await renderTab(annotated, {});
    const daily = await screen.findByRole('region', {
      name: 'Cost of the last 30 days',
    });
    expect(daily).toHaveTextContent('$420');
    expect(daily).toHaveTextContent('2026-11-03 to 2026-12-03 (exclusive)');
    expect(
      screen.getByRole('img', { name: 'Daily cost by part' }),
    ).toBeInTheDocument();
    const sizing = await screen.findByRole('region', {
      name: 'Right-sizing recommendations',
    });
    expect(sizing).toHaveTextContent('Save about $77.75 a month');
    expect(sizing).toHaveTextContent('4.00 cores');
    expect(sizing).toHaveTextContent('1.30 cores');
    expect(sizing).toHaveTextContent('8.00 GiB');
    expect(sizing).toHaveTextContent('Recommended (+30%)');
    const position = await screen.findByRole('region', {
      name: 'Cost benchmark',
    });
    expect(position).toHaveTextContent(
      'Costs as much as or more than 75% of the 8 services of type service',
    );
    expect(position).toHaveTextContent('$0.03 per CPU core-hour');
  });

  it('asks for the window the person picks', async () => {
    const load = jest.fn(async (_ref: string, days?: number) =>
      costs(FRESH, { breakdown: { ...costs().breakdown, total: days! * 14 } }),
    );
    await renderTab(annotated, { costs: load });
    await screen.findByRole('region', { name: 'Cost of the last 30 days' });
    fireEvent.click(screen.getByRole('button', { name: '90 days' }));
    const region = await screen.findByRole('region', {
      name: 'Cost of the last 90 days',
    });
    expect(region).toHaveTextContent('$1,260');
    expect(load).toHaveBeenLastCalledWith(
      'component:default/invoice-service',
      90,
    );
  });

  it('warns when the AWS bill and OpenCost differ by more than the threshold', async () => {
    await renderTab(annotated, {
      costs: async () =>
        costs(FRESH, {
          awsVariance: {
            from: '2026-11-24',
            to: '2026-12-01',
            opencost: 100,
            aws: 114,
            variance: 14 / 114,
            flagged: true,
            checkedAt: FRESH.asOf!,
          },
        }),
    });
    expect(
      await screen.findByText(
        'Warning: OpenCost and the AWS bill differ by more than 5 %',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /AWS billed \$114 for the resources tagged with this service from 2026-11-24 to 2026-11-30; OpenCost allocated \$100 \(12.3 % apart\)/,
      ),
    ).toBeInTheDocument();
  });

  it('syncs on request and shows the new figures; a refusal is shown, not thrown', async () => {
    let total = 420;
    const refresh = jest.fn(async () => {
      total = 430;
      return FRESH;
    });
    await renderTab(annotated, {
      costs: async () =>
        costs(FRESH, { breakdown: { ...costs().breakdown, total } }),
      refresh,
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Sync from OpenCost now' }),
    );
    await waitFor(() =>
      expect(
        screen.getByRole('region', { name: 'Cost of the last 30 days' }),
      ).toHaveTextContent('$430'),
    );
    expect(refresh).toHaveBeenCalledWith('component:default/invoice-service');
  });

  it('says why the sync was refused', async () => {
    const refusal = await forbidden(
      'Only the owners of component:default/invoice-service (group:default/team-billing) and admins may refresh its costs',
    );
    await renderTab(annotated, {
      refresh: async () => {
        throw refusal;
      },
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Sync from OpenCost now' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Only the owners of component:default/invoice-service',
    );
  });

  it('tells someone who may not see costs, once', async () => {
    const refusal = await forbidden('contractors do not see cost data');
    const costsCall = jest.fn(async () => costs());
    await renderTab(annotated, {
      trends: async () => {
        throw refusal;
      },
      costs: costsCall,
    });
    expect(
      await screen.findByText(
        'Info: You may not see the costs of this service',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('contractors do not see cost data'),
    ).toBeInTheDocument();
    expect(costsCall).not.toHaveBeenCalled();
  });

  it('says which annotation to add when the service has none', async () => {
    await renderTab(service({}), {});
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
  });
});
