import {
  Content,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Chip, Grid, Typography } from '@material-ui/core';
import {
  AccessResult,
  SensitiveAction,
} from '@internal/plugin-security-common';
import useAsync from 'react-use/esm/useAsync';
import { securityApiRef } from '../../api/SecurityClient';
import { GrantsCard } from '../GrantsCard';

const ACTION_LABELS: Record<SensitiveAction, string> = {
  'cost.read': 'Read cost data',
  'deployment.sync': 'Trigger deployment syncs',
  'scaffolder.create': 'Create services from golden paths',
  'ai.use': 'Use the AI assistant',
  'n8n.run': 'Run n8n workflows',
  'feishu.migrate': 'Migrate Feishu docs',
  'audit.read': 'Read the audit trail',
  'approval.decide': 'Decide approval requests',
};

type Row = AccessResult & { action: SensitiveAction; id: string };

const columns: TableColumn<Row>[] = [
  { title: 'Action', render: row => ACTION_LABELS[row.action] },
  {
    title: 'Allowed',
    render: row => (
      <Chip
        size="small"
        label={row.allowed ? 'allowed' : 'not allowed'}
        color={row.allowed ? 'primary' : 'default'}
      />
    ),
  },
  {
    title: 'Approval',
    render: row =>
      row.requiresApproval ? `needed from ${row.approvers?.join(', ')}` : '',
  },
  { title: 'Why', field: 'reason' },
];

export const MyAccessPage = () => {
  const securityApi = useApi(securityApiRef);
  const { value, loading, error } = useAsync(
    () => securityApi.getMyAccess(),
    [securityApi],
  );
  if (loading) {
    return <Progress />;
  }
  if (error || !value) {
    return (
      <ResponseErrorPanel error={error ?? new Error('No access information')} />
    );
  }
  const rows: Row[] = (
    Object.entries(value.actions) as Array<[SensitiveAction, AccessResult]>
  ).map(([action, result]) => ({ ...result, action, id: action }));
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={4}>
          <InfoCard title="My role">
            <Typography variant="h4" data-testid="my-role">
              {value.role}
            </Typography>
            <Typography variant="body2">{value.userRef}</Typography>
            <Typography variant="subtitle2" style={{ marginTop: 16 }}>
              Groups
            </Typography>
            {value.groups.length === 0 ? (
              <Typography variant="body2">No groups in the catalog</Typography>
            ) : (
              value.groups.map(group => (
                <Chip
                  key={group}
                  size="small"
                  label={group}
                  style={{ margin: 2 }}
                />
              ))
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={8}>
          <Table<Row>
            title="What my role allows"
            options={{ paging: false, search: false }}
            columns={columns}
            data={rows}
          />
        </Grid>
        <Grid item xs={12}>
          <GrantsCard isAdmin={value.role === 'admin'} />
        </Grid>
      </Grid>
    </Content>
  );
};
