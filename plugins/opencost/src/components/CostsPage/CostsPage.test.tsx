import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { OpenCostApi, openCostApiRef } from '../../api/OpenCostClient';
import { forbidden, overview } from '../testFixtures';
import { CostsPage } from './CostsPage';

function renderPage(load: OpenCostApi['overview']) {
  const api = { overview: load } as OpenCostApi;
  return renderInTestApp(<CostsPage />, { apis: [[openCostApiRef, api]] });
}

describe('CostsPage', () => {
  it('lists teams and services, most expensive first, with the top movers', async () => {
    await renderPage(async () => overview);
    const services = await screen.findByText('By service (2)');
    expect(services).toBeInTheDocument();
    const links = screen
      .getAllByRole('link', { name: /-(gateway|service)$/ })
      .map(link => [link.textContent, link.getAttribute('href')]);
    expect(links).toContainEqual([
      'invoice-service',
      '/catalog/default/component/invoice-service/cost',
    ]);
    expect(screen.getByRole('link', { name: 'team-payments' })).toHaveAttribute(
      'href',
      '/catalog/default/group/team-payments',
    );
    const movers = screen.getByRole('list', { name: 'Top movers' });
    expect(within(movers).getByText('$400 → $560')).toBeInTheDocument();
    expect(within(movers).getByText('+40%')).toBeInTheDocument();
    expect(screen.getAllByText('+2%').length).toBeGreaterThan(0);
  });

  it('asks for the window the person picks', async () => {
    const load = jest.fn(async () => overview);
    await renderPage(load);
    await screen.findByText('By service (2)');
    fireEvent.click(screen.getByRole('button', { name: '7 days' }));
    expect(await screen.findAllByText('Last 7 days')).toHaveLength(2);
    expect(
      within(screen.getByRole('table', { name: 'Teams' })).getAllByRole('row'),
    ).toHaveLength(3);
    await waitFor(() =>
      expect(load).toHaveBeenCalledWith(
        7,
        expect.objectContaining({
          offset: 0,
          limit: 20,
          sort: 'total',
          order: 'desc',
        }),
      ),
    );
    expect(load).toHaveBeenCalledWith(7, { limit: 0 });
  });

  it('tells someone who may not see costs', async () => {
    const refusal = await forbidden(
      'You may not see costs: contractors see costs only with canViewCostData',
    );
    await renderPage(async () => {
      throw refusal;
    });
    expect(
      await screen.findByText('Info: You may not see costs'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'You may not see costs: contractors see costs only with canViewCostData',
      ),
    ).toBeInTheDocument();
  });
});
