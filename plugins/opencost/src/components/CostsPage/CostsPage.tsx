import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  InfoCard,
  Link,
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
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  Bar,
  BarChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { OverviewPage, openCostApiRef } from '../../api/OpenCostClient';
import { isForbidden, reasonOf } from '../../errors';
import { money, signedPercent } from '../../format';
import { FreshnessNote } from '../FreshnessNote';
import { WindowToggle } from '../WindowToggle';

type ServiceRow = CostOverview['services'][number];
type TeamRow = CostOverview['teams'][number];
type SortField = NonNullable<OverviewPage['sort']>;

const WINDOWS = [7, 30, 90];

function entityPath(ref: string) {
  const { kind, namespace, name } = parseEntityRef(ref, {
    defaultKind: 'group',
    defaultNamespace: 'default',
  });
  return `/catalog/${namespace}/${kind.toLowerCase()}/${name}`;
}

function OwnerLink({ owner }: { owner: string }) {
  try {
    return <Link to={entityPath(owner)}>{ownerName(owner)}</Link>;
  } catch {
    return <>{owner}</>;
  }
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

/** Each team's services together, most expensive first: a bar each, and the figures beside. */
function TeamCosts({
  teams,
  currency,
  days,
}: {
  teams: TeamRow[];
  currency: string;
  days: number;
}) {
  const sorted = [...teams].sort((a, b) => b.total - a.total);
  return (
    <InfoCard title="By team" subheader={`Last ${days} days`}>
      <Box
        height={Math.max(120, 28 * sorted.length)}
        role="img"
        aria-label="Cost by team"
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            layout="vertical"
            data={sorted.map(team => ({
              ...team,
              name: ownerName(team.owner),
            }))}
            margin={{ left: 24 }}
          >
            <XAxis type="number" hide />
            <YAxis type="category" dataKey="name" width={140} />
            <Tooltip formatter={value => money(Number(value), currency)} />
            <Bar
              dataKey="total"
              name="Cost"
              fill="#1f77b4"
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </Box>
      <MuiTable size="small" aria-label="Teams">
        <TableHead>
          <TableRow>
            <TableCell>Team</TableCell>
            <TableCell align="right">Services</TableCell>
            <TableCell align="right">Cost</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {sorted.map(team => (
            <TableRow key={team.owner}>
              <TableCell>
                <OwnerLink owner={team.owner} />
              </TableCell>
              <TableCell align="right">{team.services}</TableCell>
              <TableCell align="right">{money(team.total, currency)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </MuiTable>
    </InfoCard>
  );
}

/**
 * Every service and team the caller may see costs of, over the last 7, 30 or 90 days: sortable tables,
 * and the top movers against the days before.
 */
export function CostsPage() {
  const api = useApi(openCostApiRef);
  const [days, setDays] = useState(30);
  // Teams and top movers; the services table asks for its own pages.
  const state = useAsync(() => api.overview(days, { limit: 0 }), [api, days]);
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
  return (
    <Content>
      <Box display="flex" alignItems="center" mb={2} style={{ gap: 16 }}>
        <WindowToggle choices={WINDOWS} days={days} onChange={setDays} />
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
            <TeamCosts teams={overview.teams} currency={currency} days={days} />
          </Grid>
          <Grid item xs={12}>
            <Table<ServiceRow>
              key={days}
              title={`By service (${overview.totalServices})`}
              options={{
                paging: true,
                pageSize: 20,
                pageSizeOptions: [20, 50, 100],
                padding: 'dense',
                debounceInterval: 300,
              }}
              columns={serviceColumns}
              data={async query => {
                const page = await api.overview(days, {
                  offset: query.page * query.pageSize,
                  limit: query.pageSize,
                  sort: (query.orderBy?.field as SortField) ?? 'total',
                  order: query.orderDirection || 'desc',
                  ...(query.search ? { q: query.search.slice(0, 100) } : {}),
                });
                return {
                  data: page.services.map(row => ({ ...row })),
                  page: query.page,
                  totalCount: page.totalServices,
                };
              }}
            />
          </Grid>
        </Grid>
      )}
    </Content>
  );
}
