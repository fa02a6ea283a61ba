import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { securityApiRef } from '../api/SecurityClient';
import { fakeSecurityApi, pending } from './testFixtures';
import { MyAccessPage } from './MyAccessPage/MyAccessPage';
import { ApprovalsPage } from './ApprovalsPage/ApprovalsPage';
import { AuditLogPage } from './AuditLogPage/AuditLogPage';

// Material UI tables render slowly on the 2-core build machine.
jest.setTimeout(20_000);

describe('security pages', () => {
  const user = userEvent.setup({ delay: null });

  it('My access shows the role, the groups and why each action is or is not allowed', async () => {
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

  it('Approvals: an approver approves a pending request with a reason', async () => {
    const decideApproval = jest.fn(async () => ({
      ...pending,
      status: 'approved' as const,
    }));
    await renderInTestApp(<ApprovalsPage />, {
      apis: [[securityApiRef, fakeSecurityApi({ decideApproval })]],
    });
    expect(
      await screen.findByText('rerun the monthly import'),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    const confirm = screen.getAllByRole('button', { name: 'Approve' }).pop()!;
    expect(confirm).toBeDisabled();
    await user.type(
      screen.getByRole('textbox', { name: /Reason/ }),
      'one rerun is fine',
    );
    await user.click(confirm);
    await waitFor(() =>
      expect(decideApproval).toHaveBeenCalledWith(
        pending.id,
        'approve',
        'one rerun is fine',
      ),
    );
  });

  it('Audit log: admins search records', async () => {
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
