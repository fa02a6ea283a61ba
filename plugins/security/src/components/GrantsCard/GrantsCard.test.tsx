import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { AccessGrant } from '@internal/plugin-security-common';
import { securityApiRef } from '../../api/SecurityClient';
import { fakeSecurityApi } from '../testFixtures';
import { GrantsCard } from './GrantsCard';

const grant: AccessGrant = {
  id: 'b1d0c7a2-0000-4000-8000-000000000001',
  userRef: 'user:default/rafael-ortiz',
  action: 'cost.read',
  entityRef: 'component:default/usage-metering',
  reason: 'Request temporary access: budget review on Friday',
  source: 'n8n:run:1',
  createdAt: '2026-12-04T10:00:00.000Z',
  expiresAt: '2026-12-04T14:00:00.000Z',
};

describe('GrantsCard', () => {
  it("lists the caller's grants, without revoking", async () => {
    await renderInTestApp(<GrantsCard isAdmin={false} />, {
      apis: [
        [securityApiRef, fakeSecurityApi({ listGrants: async () => [grant] })],
      ],
    });
    const row = (
      await screen.findByText('component:default/usage-metering')
    ).closest('tr')!;
    expect(row).toHaveTextContent('cost.read');
    expect(row).toHaveTextContent('budget review on Friday');
    expect(screen.queryByRole('button', { name: 'Revoke' })).toBeNull();
  });

  it('lets an admin revoke one, and shows the list without it', async () => {
    let grants = [grant];
    const revoked: string[] = [];
    await renderInTestApp(<GrantsCard isAdmin />, {
      apis: [
        [
          securityApiRef,
          fakeSecurityApi({
            listGrants: async () => grants,
            revokeGrant: async id => {
              revoked.push(id);
              grants = [];
              return { ...grant, revokedAt: '2026-12-04T11:00:00.000Z' };
            },
          }),
        ],
      ],
    });
    const row = (await screen.findByText('user:default/rafael-ortiz')).closest(
      'tr',
    )!;
    await userEvent.click(within(row).getByRole('button', { name: 'Revoke' }));
    expect(revoked).toEqual([grant.id]);
    expect(await screen.findByText(/No temporary access/)).toBeInTheDocument();
  });
});
