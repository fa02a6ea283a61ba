import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { securityApiRef } from '../../api/SecurityClient';
import { fakeSecurityApi, pending } from '../testFixtures';
import { ApprovalsPage } from './ApprovalsPage';

// Material UI tables render slowly on the 2-core build machine.
jest.setTimeout(20_000);

describe('ApprovalsPage', () => {
  const user = userEvent.setup({ delay: null });

  it('an approver approves a pending request with a reason', async () => {
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

  it('pages the history: older requests load on demand, by the cursor the previous page returned', async () => {
    const decided = (n: number) => ({
      ...pending,
      id: `00000000-0000-4000-8000-00000000000${n}`,
      justification: `request number ${n}`,
      status: 'approved' as const,
    });
    const listApprovals = jest.fn(
      async (_view: string, _statuses?: string[], cursor?: string) =>
        cursor
          ? { items: [decided(2)] }
          : { items: [decided(1)], nextCursor: 'page-2' },
    );
    await renderInTestApp(<ApprovalsPage />, {
      apis: [[securityApiRef, fakeSecurityApi({ listApprovals })]],
    });
    await user.click(await screen.findByRole('tab', { name: 'History' }));
    expect(await screen.findByText('request number 1')).toBeInTheDocument();
    expect(screen.queryByText('request number 2')).not.toBeInTheDocument();

    await user.click(
      screen.getByRole('button', { name: 'Load older requests' }),
    );
    expect(await screen.findByText('request number 2')).toBeInTheDocument();
    expect(listApprovals).toHaveBeenLastCalledWith(
      'inbox',
      ['approved', 'denied', 'consumed', 'expired'],
      'page-2',
    );
    expect(
      screen.queryByRole('button', { name: 'Load older requests' }),
    ).not.toBeInTheDocument();
  });
});
