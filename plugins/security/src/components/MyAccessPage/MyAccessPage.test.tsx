import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { securityApiRef } from '../../api/SecurityClient';
import { fakeSecurityApi } from '../testFixtures';
import { MyAccessPage } from './MyAccessPage';

describe('MyAccessPage', () => {
  it('shows the role, the groups and why each action is or is not allowed', async () => {
    await renderInTestApp(<MyAccessPage />, {
      apis: [[securityApiRef, fakeSecurityApi()]],
    });
    expect(await screen.findByTestId('my-role')).toHaveTextContent(
      'contractor-developer',
    );
    expect(
      screen.getByText('group:default/contractors-northwind'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('contractors do not see cost data'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('needed from group:default/team-platform'),
    ).toBeInTheDocument();
  });
});
