import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { feishuMigrationApiRef } from '../../api/FeishuMigrationClient';
import { fakeApi, job } from '../testFixtures';
import { HistoryPage } from './HistoryPage';

// Material UI tables render slowly on the 2-core build machine.
jest.setTimeout(20_000);

describe('HistoryPage', () => {
  const user = userEvent.setup({ delay: null });

  it('lists migrations and opens one', async () => {
    await renderInTestApp(<HistoryPage />, {
      apis: [[feishuMigrationApiRef, fakeApi()]],
    });
    const row = await screen.findByText('Billing 团队空间');
    await user.click(row);
    expect(await screen.findByText('Validation report')).toBeInTheDocument();
  });

  it("asks only for the service's migrations on a service's page", async () => {
    const listMigrations = jest.fn(async () => ({
      items: [job],
      totalItems: 1,
    }));
    await renderInTestApp(
      <HistoryPage entityRef="component:default/invoice-service" />,
      { apis: [[feishuMigrationApiRef, fakeApi({ listMigrations })]] },
    );
    expect(await screen.findByText('Billing 团队空间')).toBeInTheDocument();
    expect(listMigrations).toHaveBeenCalledWith({
      entityRef: 'component:default/invoice-service',
      limit: 20,
      offset: 0,
    });
  });
});
