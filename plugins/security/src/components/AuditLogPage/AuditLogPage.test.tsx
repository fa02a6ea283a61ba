import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { securityApiRef } from '../../api/SecurityClient';
import { fakeSecurityApi } from '../testFixtures';
import { AuditLogPage } from './AuditLogPage';

// Material UI tables render slowly on the 2-core build machine.
jest.setTimeout(20_000);

describe('AuditLogPage', () => {
  const user = userEvent.setup({ delay: null });

  it('lets admins search records', async () => {
    const queryAudit = jest.fn(fakeSecurityApi().queryAudit);
    await renderInTestApp(<AuditLogPage />, {
      apis: [
        [securityApiRef, fakeSecurityApi({ queryAudit })],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ],
    });
    await user.type(await screen.findByLabelText('Action'), 'ai.use');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(
      await screen.findByText('user:default/erik-larsen'),
    ).toBeInTheDocument();
    expect(queryAudit).toHaveBeenCalledWith({
      action: 'ai.use',
      limit: 50,
      cursor: undefined,
    });
  });
});
