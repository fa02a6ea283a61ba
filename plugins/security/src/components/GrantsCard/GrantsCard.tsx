import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Button, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { AccessGrant } from '@internal/plugin-security-common';
import { securityApiRef } from '../../api/SecurityClient';

/**
 * Time-boxed grants (e.g. from an access request a workflow approved): the caller's own, and for admins
 * everyone's, with a button that ends one early.
 */
export const GrantsCard = ({ isAdmin }: { isAdmin: boolean }) => {
  const securityApi = useApi(securityApiRef);
  const { value, error, loading, retry } = useAsyncRetry(
    () => securityApi.listGrants(),
    [securityApi],
  );
  const [problem, setProblem] = useState<string>();
  if (error) return <ResponseErrorPanel error={error} />;

  const revoke = async (grant: AccessGrant) => {
    setProblem(undefined);
    try {
      await securityApi.revokeGrant(grant.id, 'revoked on the My access page');
      retry();
    } catch (e: any) {
      setProblem(e?.body?.error?.message ?? String(e?.message ?? e));
    }
  };

  const columns: TableColumn<AccessGrant>[] = [
    ...(isAdmin ? [{ title: 'Who', field: 'userRef' }] : []),
    { title: 'Action', field: 'action' },
    { title: 'On', render: grant => grant.entityRef ?? 'everything' },
    {
      title: 'Until',
      render: grant => new Date(grant.expiresAt).toLocaleString(),
    },
    { title: 'Why', field: 'reason' },
    ...(isAdmin
      ? [
          {
            title: '',
            render: (grant: AccessGrant) => (
              <Button size="small" onClick={() => revoke(grant)}>
                Revoke
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      {problem && <Alert severity="error">{problem}</Alert>}
      <Table<AccessGrant>
        title={isAdmin ? 'Temporary access (everyone)' : 'My temporary access'}
        isLoading={loading && !value}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={value ?? []}
        emptyContent={
          <Typography variant="body2" style={{ padding: 16 }}>
            No temporary access. Request some with the Request temporary access
            workflow.
          </Typography>
        }
      />
    </>
  );
};
