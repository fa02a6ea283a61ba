import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { CostOverview } from '@internal/plugin-opencost-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { openCostApiRef } from '../../api/OpenCostClient';
import { isForbidden, reasonOf } from '../../errors';
import { money, signedPercent } from '../../format';
import { FreshnessNote } from '../FreshnessNote';

type ServiceRow = CostOverview['services'][number];
type TeamRow = CostOverview['teams'][number];

const WINDOWS = [7, 30, 90];

function entityPath(ref: string) {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${namespace}/${kind.toLowerCase()}/${name}`;
}

function ownerName(ref: string) {
  try {
    return parseEntityRef(ref, { defaultKind: 'group' }).name;
  } catch {
    return ref;
  }
}

function ServiceLink({ row }: { row: ServiceRow }) {
  return <Link to={`${entityPath(row.entityRef)}/cost`}>{row.title}</Link>;
}

function ChangeText({ change }: { change?: number }) {
  if (change === undefined) return <>new</>;
  return (
    <Typography
      variant="body2"
      component="span"
      color={Math.abs(change) > 0.2 ? 'error' : 'textPrimary'}
    >
      {signedPercent(change)}
    </Typography>
  );
}

/**
 * Every service and team the caller may see costs of, over the last 7, 30 or 90 days: sortable tables,
 * and the top movers against the days before.
 */
export function CostsPage() {
  const api = useApi(openCostApiRef);
  const [days, setDays] = useState(30);
  const state = useAsync(() => api.overview(days), [api, days]);
  const overview = state.value;
  const currency = overview?.currency ?? 'USD';

  const serviceColumns: TableColumn<ServiceRow>[] = [
    {
      title: 'Service',
      field: 'title',
      highlight: true,
      render: row => <ServiceLink row={row} />,
    },
    { title: 'Owner', field: 'owner', render: row => ownerName(row.owner) },
    { title: 'Type', field: 'type' },
    {
      title: `Last ${days} days`,
      field: 'total',
      type: 'numeric',
      defaultSort: 'desc',
      render: row => money(row.total, currency),
    },
    {
      title: `${days} days before`,
      field: 'previous',
      type: 'numeric',
      render: row => money(row.previous, currency),
    },
    {
      title: 'Change',
      field: 'change',
      type: 'numeric',
      render: row => <ChangeText change={row.change} />,
    },
  ];
  const teamColumns: TableColumn<TeamRow>[] = [
    {
      title: 'Team',
      field: 'owner',
      highlight: true,
      render: row => (
        <Link to={entityPath(row.owner)}>{ownerName(row.owner)}</Link>
      ),
    },
    { title: 'Services', field: 'services', type: 'numeric' },
    {
      title: `Last ${days} days`,
      field: 'total',
      type: 'numeric',
      defaultSort: 'desc',
      render: row => money(row.total, currency),
    },
  ];

  return (
    <Page themeId="tool">
      <Header
        title="Costs"
        subtitle="What each service and team costs, from OpenCost"
      />
      <Content>
        <Box display="flex" alignItems="center" mb={2} style={{ gap: 16 }}>
          <ToggleButtonGroup
            size="small"
            exclusive
            value={days}
            onChange={(_, value) => value && setDays(value)}
            aria-label="Window"
          >
            {WINDOWS.map(window => (
              <ToggleButton key={window} value={window}>
                {window} days
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
          {overview && <FreshnessNote freshness={overview.freshness} />}
        </Box>
        {state.loading && <Progress />}
        {isForbidden(state.error) ? (
          <WarningPanel
            severity="info"
            title="You may not see costs"
            message={reasonOf(state.error!)}
          />
        ) : (
          state.error && <ResponseErrorPanel error={state.error} />
        )}
        {overview && (
          <Grid container spacing={3}>
            <Grid item xs={12} md={4}>
              <InfoCard
                title="Top movers"
                subheader={`Against the ${days} days before`}
              >
                <List dense aria-label="Top movers">
                  {overview.topMovers.map(row => (
                    <ListItem key={row.entityRef}>
                      <ListItemText
                        primary={<ServiceLink row={row} />}
                        secondary={`${money(row.previous, currency)} → ${money(
                          row.total,
                          currency,
                        )}`}
                      />
                      <ChangeText change={row.change} />
                    </ListItem>
                  ))}
                </List>
              </InfoCard>
            </Grid>
            <Grid item xs={12} md={8}>
              <Table<TeamRow>
                title="By team"
                options={{ paging: false, search: false, padding: 'dense' }}
                columns={teamColumns}
                data={overview.teams.map(row => ({ ...row }))}
              />
            </Grid>
            <Grid item xs={12}>
              <Table<ServiceRow>
                title={`By service (${overview.services.length})`}
                options={{ paging: true, pageSize: 20, padding: 'dense' }}
                columns={serviceColumns}
                data={overview.services.map(row => ({ ...row }))}
              />
            </Grid>
          </Grid>
        )}
      </Content>
    </Page>
  );
}
