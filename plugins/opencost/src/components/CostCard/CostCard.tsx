import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  CostBreakdown,
  CostChange,
  costSourceOf,
  SERVICE_LABEL_ANNOTATION,
} from '@internal/plugin-opencost-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Line, LineChart, Tooltip, YAxis } from 'recharts';
import { openCostApiRef } from '../../api/OpenCostClient';
import { isForbidden } from '../../errors';
import { money, signedPercent } from '../../format';
import { FreshnessNote } from '../FreshnessNote';

export const PARTS: Array<[keyof CostBreakdown, string]> = [
  ['cpu', 'CPU'],
  ['memory', 'Memory'],
  ['storage', 'Storage'],
  ['network', 'Network'],
  ['gpu', 'GPU'],
  ['loadBalancer', 'Load balancers'],
  ['other', 'Shared and other'],
];

function ChangeNote({ label, change }: { label: string; change: CostChange }) {
  if (change.change === undefined) return null;
  const percent = signedPercent(change.change);
  return (
    <Typography
      variant="body2"
      color={change.flagged ? 'error' : 'textSecondary'}
      role={change.flagged ? 'alert' : undefined}
    >
      {percent} {label}
      {change.flagged ? ' (a large change)' : ''}
    </Typography>
  );
}

/**
 * What the service cost over the last 30 days on its page: the total, its parts, each day as a
 * sparkline and the week-over-week change, flagged when large. Nothing for someone who may not see
 * costs; which annotation to add for a service without one.
 */
export function CostCard() {
  const { entity } = useEntity();
  const api = useApi(openCostApiRef);
  const entityRef = stringifyEntityRef(entity);
  const source = costSourceOf(entity.metadata.annotations);
  const state = useAsync(async () => {
    if (!source) return undefined;
    const [costs, trends] = await Promise.all([
      api.costs(entityRef, 30),
      api.trends(entityRef),
    ]);
    return { costs, trends };
  }, [api, entityRef, source?.name]);

  if (!source) {
    return (
      <MissingAnnotationEmptyState annotation={SERVICE_LABEL_ANNOTATION} />
    );
  }
  if (isForbidden(state.error)) return null;
  return (
    <InfoCard title="Cost" subheader="Last 30 days, from OpenCost">
      {state.loading && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.value && (
        <Box role="region" aria-label="Cost of the last 30 days">
          <Typography variant="h4" component="p">
            {money(
              state.value.costs.breakdown.total,
              state.value.costs.currency,
            )}
          </Typography>
          <ChangeNote
            label="week over week"
            change={state.value.trends.weekOverWeek}
          />
          <Box my={1} aria-label="Daily cost" role="img">
            <LineChart
              width={280}
              height={56}
              data={state.value.costs.daily.map(d => ({
                day: d.day,
                total: d.total,
              }))}
            >
              <YAxis hide domain={[0, 'auto']} />
              <Tooltip
                formatter={value =>
                  money(Number(value), state.value!.costs.currency)
                }
                labelFormatter={(_, payload) => payload?.[0]?.payload?.day}
              />
              <Line
                type="monotone"
                dataKey="total"
                dot={false}
                strokeWidth={2}
                isAnimationActive={false}
              />
            </LineChart>
          </Box>
          <Box
            component="dl"
            display="grid"
            gridTemplateColumns="auto auto"
            m={0}
          >
            {PARTS.filter(
              // Under half a cent is rounding left over from the total, not a cost.
              ([part]) => state.value!.costs.breakdown[part] >= 0.005,
            ).map(([part, name]) => (
              <Box key={part} display="contents">
                <Typography component="dt" variant="body2">
                  {name}
                </Typography>
                <Typography component="dd" variant="body2" align="right">
                  {money(
                    state.value!.costs.breakdown[part],
                    state.value!.costs.currency,
                  )}
                </Typography>
              </Box>
            ))}
          </Box>
          <FreshnessNote freshness={state.value.costs.freshness} />
        </Box>
      )}
    </InfoCard>
  );
}
