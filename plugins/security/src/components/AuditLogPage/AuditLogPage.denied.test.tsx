import { screen } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { securityApiRef } from '../../api/SecurityClient';
import { fakeSecurityApi } from '../testFixtures';
import { AuditLogPage } from './AuditLogPage';

// A file of its own: usePermission caches decisions per permission for the whole test module.
describe('AuditLogPage without the audit.read permission', () => {
  it('tells a non-admin that the audit trail is for admins only', async () => {
    await renderInTestApp(<AuditLogPage />, {
      apis: [
        [securityApiRef, fakeSecurityApi()],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.DENY }),
        ],
      ],
    });
    expect(await screen.findByText(/Admins only/)).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Search' }),
    ).not.toBeInTheDocument();
  });
});
