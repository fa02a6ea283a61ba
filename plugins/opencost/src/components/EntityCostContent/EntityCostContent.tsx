import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  AwsVariance,
  CostBenchmark,
  costSourceOf,
  RightSizing,
  SERVICE_LABEL_ANNOTATION,
  ServiceCosts,
} from '@internal/plugin-opencost-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { openCostApiRef } from '../../api/OpenCostClient';
import { isForbidden, reasonOf } from '../../errors';
import { money } from '../../format';
import { PARTS } from '../CostCard/CostCard';
import { FreshnessNote } from '../FreshnessNote';
import { WindowToggle } from '../WindowToggle';

const WINDOWS = [30, 60, 90];
const PART_COLOURS: Record<string, string> = {
  cpu: '#1f77b4',
  memory: '#2ca02c',
  storage: '#ff7f0e',
  network: '#9467bd',
  gpu: '#d62728',
  loadBalancer: '#8c564b',
  other: '#7f7f7f',
};
const GIB = 1024 ** 3;

function DailyCostChart({ costs }: { costs: ServiceCosts }) {
  // Parts that are zero every day only clutter the legend.
  const parts = PARTS.filter(([part]) =>
    costs.daily.some(day => day[part] >= 0.005),
  );
  return (
    <Box height={300} role="img" aria-label="Daily cost by part">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={costs.daily}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={day => String(day).slice(5)} />
          <YAxis
            tickFormatter={value => money(Number(value), costs.currency)}
          />
          <Tooltip formatter={value => money(Number(value), costs.currency)} />
          <Legend />
          {parts.map(([part, name]) => (
            <Bar
              key={part}
              dataKey={part}
              name={name}
              stackId="cost"
              fill={PART_COLOURS[part]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </Box>
  );
}

/** The day before a YYYY-MM-DD day: the last day of a window that ends (exclusively) there. */
function lastDayBefore(day: string) {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000)
    .toISOString()
    .slice(0, 10);
}

function VarianceNote({
  variance,
  currency,
}: {
  variance: AwsVariance;
  currency: string;
}) {
  const text = `AWS billed ${money(
    variance.aws,
    currency,
  )} for the resources tagged with this service from ${
    variance.from
  } to ${lastDayBefore(variance.to)}; OpenCost allocated ${money(
    variance.opencost,
    currency,
  )} (${(variance.variance * 100).toFixed(1)} % apart).`;
  if (!variance.flagged) {
    return (
      <Typography variant="caption" color="textSecondary" component="p">
        {text}
      </Typography>
    );
  }
  return (
    <WarningPanel
      severity="warning"
      defaultExpanded
      title="OpenCost and the AWS bill differ by more than 5 %"
      message={`${text} Resources tagged outside the cluster, or pods without the label, are the usual causes.`}
    />
  );
}

function DailyCostCard({ entityRef }: { entityRef: string }) {
  const api = useApi(openCostApiRef);
  const [days, setDays] = useState(30);
  const [reload, setReload] = useState(0);
  const costs = useAsync(
    () => api.costs(entityRef, days),
    [api, entityRef, days, reload],
  );
  const [refresh, doRefresh] = useAsyncFn(async () => {
    const freshness = await api.refresh(entityRef);
    setReload(n => n + 1);
    return freshness;
  }, [api, entityRef]);

  return (
    <InfoCard
      title="Daily cost"
      subheader="From OpenCost, by part"
      action={<WindowToggle choices={WINDOWS} days={days} onChange={setDays} />}
    >
      {costs.loading && <Progress />}
      {costs.error && <ResponseErrorPanel error={costs.error} />}
      {costs.value && (
        <Box role="region" aria-label={`Cost of the last ${days} days`}>
          <Typography variant="h4" component="p">
            {money(costs.value.breakdown.total, costs.value.currency)}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {costs.value.from} to {costs.value.to} (exclusive)
          </Typography>
          <DailyCostChart costs={costs.value} />
          {costs.value.awsVariance && (
            <VarianceNote
              variance={costs.value.awsVariance}
              currency={costs.value.currency}
            />
          )}
          <Box display="flex" alignItems="center" mt={1} style={{ gap: 16 }}>
            <FreshnessNote freshness={costs.value.freshness} />
            <Button
              size="small"
              variant="outlined"
              onClick={doRefresh}
              disabled={refresh.loading}
            >
              {refresh.loading ? 'Syncing…' : 'Sync from OpenCost now'}
            </Button>
          </Box>
          {refresh.error && (
            <Typography variant="body2" color="error" role="alert">
              {reasonOf(refresh.error)}
            </Typography>
          )}
        </Box>
      )}
    </InfoCard>
  );
}

function RecommendationsCard({ entityRef }: { entityRef: string }) {
  const api = useApi(openCostApiRef);
  const state = useAsync(
    () => api.recommendations(entityRef),
    [api, entityRef],
  );
  const rows = (sizing: RightSizing) => [
    {
      name: 'CPU',
      unit: (v: number) => `${v.toFixed(2)} cores`,
      ...sizing.cpu,
    },
    {
      name: 'Memory',
      unit: (v: number) => `${(v / GIB).toFixed(2)} GiB`,
      ...sizing.memory,
    },
  ];
  return (
    <InfoCard
      title="Right-sizing"
      subheader="Requests against the peak daily usage of the last 30 days"
    >
      {state.loading && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.value && (
        <Box role="region" aria-label="Right-sizing recommendations">
          <Typography variant="h5" component="p">
            {state.value.monthlySavings >= 0.5
              ? `Save about ${money(
                  state.value.monthlySavings,
                  state.value.currency,
                )} a month`
              : 'Requests fit the usage: nothing to save'}
          </Typography>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>Resource</TableCell>
                <TableCell align="right">Requested</TableCell>
                <TableCell align="right">Peak usage</TableCell>
                <TableCell align="right">
                  Recommended (+{Math.round(state.value.headroom * 100)}%)
                </TableCell>
                <TableCell align="right">Monthly saving</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows(state.value).map(row => (
                <TableRow key={row.name}>
                  <TableCell>{row.name}</TableCell>
                  <TableCell align="right">{row.unit(row.requested)}</TableCell>
                  <TableCell align="right">{row.unit(row.peakUsage)}</TableCell>
                  <TableCell align="right">
                    {row.unit(row.recommended)}
                  </TableCell>
                  <TableCell align="right">
                    {money(row.monthlySavings, state.value!.currency)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </InfoCard>
  );
}

function BenchmarkCard({ entityRef }: { entityRef: string }) {
  const api = useApi(openCostApiRef);
  const state = useAsync(() => api.benchmark(entityRef), [api, entityRef]);
  const position = (b: CostBenchmark) =>
    b.peers <= 1
      ? `The only ${b.type} you can see costs`
      : `Costs as much as or more than ${Math.round(b.percentile)}% of the ${
          b.peers
        } services of type ${b.type}`;
  return (
    <InfoCard
      title="Benchmark"
      subheader="Last 30 days, among services of the same type"
    >
      {state.loading && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.value && (
        <Box role="region" aria-label="Cost benchmark">
          <Typography variant="body1">{position(state.value)}</Typography>
          <Box my={1}>
            <LinearProgress
              variant="determinate"
              value={state.value.percentile}
              aria-label="Percentile among peers"
            />
          </Box>
          <Typography variant="body2">
            {state.value.perCpuCoreHour !== undefined &&
              `${money(
                state.value.perCpuCoreHour,
                state.value.currency,
              )} per CPU core-hour`}
            {state.value.perGibHour !== undefined &&
              ` · ${money(
                state.value.perGibHour,
                state.value.currency,
              )} per GiB-hour`}
          </Typography>
        </Box>
      )}
    </InfoCard>
  );
}

/**
 * The Cost tab of a component: each day's cost by part (30, 60 or 90 days), the AWS bill beside it, how to
 * right-size requests and what that saves, and where the service stands among its peers.
 */
export function EntityCostContent() {
  const { entity } = useEntity();
  const api = useApi(openCostApiRef);
  const entityRef = stringifyEntityRef(entity);
  const source = costSourceOf(entity.metadata.annotations);
  // One cheap call first, so someone who may not see costs gets one clear message instead of three errors.
  const allowed = useAsync(
    async () => (source ? api.trends(entityRef) : undefined),
    [api, entityRef, source?.name],
  );
  if (!source) {
    return (
      <MissingAnnotationEmptyState annotation={SERVICE_LABEL_ANNOTATION} />
    );
  }
  if (allowed.loading) return <Progress />;
  if (isForbidden(allowed.error)) {
    return (
      <WarningPanel
        severity="info"
        title="You may not see the costs of this service"
        message={reasonOf(allowed.error!)}
      />
    );
  }
  if (allowed.error) return <ResponseErrorPanel error={allowed.error} />;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <DailyCostCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12} md={7}>
        <RecommendationsCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12} md={5}>
        <BenchmarkCard entityRef={entityRef} />
      </Grid>
    </Grid>
  );
}
