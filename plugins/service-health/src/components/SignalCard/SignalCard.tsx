import { ReactNode } from 'react';
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
  Freshness,
  Signal,
  signalAnnotation,
  SIGNAL_ANNOTATIONS,
} from '@internal/plugin-service-health-common';
import Typography from '@material-ui/core/Typography';
import {
  ServiceHealthApi,
  serviceHealthApiRef,
} from '../../api/ServiceHealthClient';

/** "as of 5 min ago", in words a person on call reads at a glance. */
export function ageOf(asOf: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(asOf)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export function FreshnessNote({ freshness }: { freshness: Freshness }) {
  return (
    <Typography
      variant="caption"
      color={freshness.stale ? 'error' : 'textSecondary'}
      role={freshness.stale ? 'status' : undefined}
    >
      {freshness.stale
        ? `Stale: showing data as of ${ageOf(freshness.asOf)} (${
            freshness.problem ?? 'the upstream did not answer'
          })`
        : `As of ${ageOf(freshness.asOf)}`}
    </Typography>
  );
}

export interface SignalCardProps<T extends { freshness: Freshness }> {
  title: string;
  signal: Signal;
  load: (api: ServiceHealthApi, entityRef: string) => Promise<T>;
  children: (value: T) => ReactNode;
  /** Marks the card as alerting (a red title), e.g. when a monitor alerts. */
  alerting?: (value: T) => boolean;
}

/**
 * One signal of the service on its page: which annotation to add when it is missing, the data with how
 * old it is, and the last data marked stale when the upstream is down; never a crash.
 */
export function SignalCard<T extends { freshness: Freshness }>(
  props: SignalCardProps<T>,
) {
  const { entity } = useEntity();
  const api = useApi(serviceHealthApiRef);
  const annotation = signalAnnotation(
    entity.metadata.annotations,
    props.signal,
  );
  const entityRef = stringifyEntityRef(entity);
  const { load } = props;
  const state = useAsync(
    async () => (annotation ? load(api, entityRef) : undefined),
    [api, entityRef, annotation?.value],
  );
  if (!annotation) {
    return (
      <MissingAnnotationEmptyState
        annotation={[...SIGNAL_ANNOTATIONS[props.signal]]}
      />
    );
  }
  const alerting = state.value && props.alerting?.(state.value);
  return (
    <InfoCard
      title={props.title}
      titleTypographyProps={alerting ? { color: 'error' } : undefined}
      subheader={
        state.value && <FreshnessNote freshness={state.value.freshness} />
      }
    >
      {state.loading && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.value && props.children(state.value)}
    </InfoCard>
  );
}
