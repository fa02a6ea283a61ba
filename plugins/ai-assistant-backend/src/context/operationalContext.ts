import {
  ContextItem,
  withinFreshnessWindow,
} from '@internal/plugin-ai-assistant-common';
import type {
  DeploymentsSignal,
  ErrorsSignal,
  MonitorsSignal,
} from '@internal/plugin-service-health-common';

/** One kind of operational data about a service, as a source the answer can cite. */
export interface OperationalSource extends ContextItem {
  title: string;
  url: string;
}

export interface OperationalSignals {
  deployments?: DeploymentsSignal;
  monitors?: MonitorsSignal;
  errors?: ErrorsSignal;
}

const asOf = (freshness: { asOf: string; stale: boolean; problem?: string }) =>
  freshness.stale
    ? `as of ${freshness.asOf}, stale: ${
        freshness.problem ?? 'the upstream could not be read'
      }`
    : `as of ${freshness.asOf}`;

/**
 * A service's deployments, monitors and errors as context, each kept to its freshness window (deployment
 * history 90 days, monitor states 30 days, errors 7 days), with when the data is from. Deployments come
 * first when the context must be cut, then monitors, then errors.
 */
export function operationalSources(
  entityUrl: string,
  name: string,
  signals: OperationalSignals,
  now: number = Date.now(),
): OperationalSource[] {
  const sources: OperationalSource[] = [];
  const { deployments, monitors, errors } = signals;
  if (deployments && deployments.items.length > 0) {
    const lines = deployments.items.map(d => {
      const parts = [
        `${d.environment} (${d.application}): ${d.syncStatus}, ${d.health}`,
        d.revision ? `revision ${d.revision.slice(0, 12)}` : '',
        d.lastSyncedAt ? `last synced ${d.lastSyncedAt}` : '',
        d.operation
          ? `last operation ${d.operation.phase}${
              d.operation.message ? `: ${d.operation.message}` : ''
            }`
          : '',
      ].filter(Boolean);
      const history = (d.history ?? [])
        .filter(h => withinFreshnessWindow('incidents', h.deployedAt, now))
        .slice(0, 5)
        .map(h => `${h.revision.slice(0, 12)} at ${h.deployedAt}`);
      return `- ${parts.join('; ')}.${
        history.length > 0 ? ` Deployed: ${history.join(', ')}.` : ''
      }`;
    });
    sources.push({
      id: 'operational:deployments',
      priority: 90,
      truncatable: true,
      title: `Deployments of ${name} (Argo CD, ${asOf(deployments.freshness)})`,
      url: entityUrl,
      text: lines.join('\n'),
    });
  }
  if (monitors) {
    const notOk = monitors.items.filter(
      m =>
        m.state !== 'OK' &&
        (m.since === undefined ||
          withinFreshnessWindow('metrics', m.since, now)),
    );
    sources.push({
      id: 'operational:monitors',
      priority: 85,
      truncatable: true,
      title: `Datadog monitors of ${name} (${asOf(monitors.freshness)})`,
      url: entityUrl,
      text:
        notOk.length === 0
          ? `All ${monitors.items.length} monitors are OK.`
          : notOk
              .map(
                m =>
                  `- ${m.name} is ${m.state}${
                    m.since ? ` since ${m.since}` : ''
                  }.`,
              )
              .join('\n'),
    });
  }
  if (errors) {
    const recent = errors.items.filter(e =>
      withinFreshnessWindow('logs', e.lastSeen, now),
    );
    sources.push({
      id: 'operational:errors',
      priority: 80,
      truncatable: true,
      title: `Sentry errors of ${name} in the last 7 days (${asOf(
        errors.freshness,
      )})`,
      url: entityUrl,
      text:
        recent.length === 0
          ? 'No unresolved errors were seen in the last 7 days.'
          : recent
              .slice(0, 10)
              .map(
                e =>
                  `- ${e.title}${e.culprit ? ` in ${e.culprit}` : ''}: ${
                    e.count
                  } events (${e.eventsLast24h ?? 0} in the last 24 h), ${
                    e.level
                  }, first seen ${e.firstSeen}, last seen ${e.lastSeen}.`,
              )
              .join('\n'),
    });
  }
  return sources;
}
