import {
  Deployment,
  ErrorIssue,
  Monitor,
  PullRequest,
  WorkflowRun,
} from '@internal/plugin-service-health-common';
import { ArgoApplication } from '../clients/ArgoCdClient';
import { DatadogMonitor } from '../clients/DatadogClient';
import { SentryIssue } from '../clients/SentryClient';
import { GithubPull, GithubRun } from '../clients/GithubClient';

const ENVIRONMENT_ORDER = ['development', 'staging', 'production'];

/** One row per Argo CD application, development → staging → production, others after by name. */
export function deploymentsOf(
  applications: ArgoApplication[],
  urlOf: (name: string) => string,
): Deployment[] {
  const rows = applications.map((app): Deployment => {
    const status = app.status ?? {};
    const operation = status.operationState;
    const lastSynced =
      status.history?.at(-1)?.deployedAt ?? operation?.finishedAt;
    return {
      application: app.metadata.name,
      environment: app.metadata.labels?.environment ?? app.metadata.name,
      syncStatus: status.sync?.status ?? 'Unknown',
      health: status.health?.status ?? 'Unknown',
      ...(status.sync?.revision ? { revision: status.sync.revision } : {}),
      ...(lastSynced ? { lastSyncedAt: lastSynced } : {}),
      ...(operation?.phase
        ? {
            operation: {
              phase: operation.phase,
              ...(operation.message ? { message: operation.message } : {}),
              ...(operation.startedAt
                ? { startedAt: operation.startedAt }
                : {}),
              ...(operation.finishedAt
                ? { finishedAt: operation.finishedAt }
                : {}),
            },
          }
        : {}),
      url: urlOf(app.metadata.name),
      history: (status.history ?? [])
        .filter(entry => entry.revision && entry.deployedAt)
        .map(entry => ({
          revision: entry.revision!,
          deployedAt: entry.deployedAt!,
          ...(entry.source?.repoURL
            ? { sourceRepository: entry.source.repoURL }
            : {}),
        }))
        .sort((a, b) => b.deployedAt.localeCompare(a.deployedAt))
        .slice(0, 10),
    };
  });
  const rank = (d: Deployment) => {
    const index = ENVIRONMENT_ORDER.indexOf(d.environment);
    return index < 0 ? ENVIRONMENT_ORDER.length : index;
  };
  return rows.sort(
    (a, b) => rank(a) - rank(b) || a.application.localeCompare(b.application),
  );
}

const MONITOR_SEVERITY: Record<string, number> = {
  Alert: 0,
  Warn: 1,
  'No Data': 2,
  Unknown: 3,
  OK: 4,
};

/** Alerting monitors first, then warnings; each with since when it is in that state. */
export function monitorsOf(
  monitors: DatadogMonitor[],
  urlOf: (id: number) => string,
): Monitor[] {
  return monitors
    .map((m): Monitor => {
      const since = m.overall_state_modified ?? m.modified;
      return {
        id: m.id,
        name: m.name,
        state: m.overall_state ?? 'Unknown',
        ...(since ? { since } : {}),
        ...(typeof m.priority === 'number' ? { priority: m.priority } : {}),
        url: urlOf(m.id),
      };
    })
    .sort(
      (a, b) =>
        (MONITOR_SEVERITY[a.state] ?? 3) - (MONITOR_SEVERITY[b.state] ?? 3) ||
        a.name.localeCompare(b.name),
    );
}

/** Issues with their counts as numbers and the events of the last 24 hours, most recent first. */
export function errorIssuesOf(issues: SentryIssue[]): ErrorIssue[] {
  return issues
    .map((issue): ErrorIssue => {
      const count = Number(issue.count ?? 0);
      const last24h = issue.stats?.['24h'];
      return {
        id: issue.id,
        ...(issue.shortId ? { shortId: issue.shortId } : {}),
        title: issue.title,
        ...(issue.culprit ? { culprit: issue.culprit } : {}),
        level: issue.level ?? 'error',
        status: issue.status ?? 'unresolved',
        count: Number.isFinite(count) ? count : 0,
        userCount: issue.userCount ?? 0,
        ...(last24h
          ? {
              eventsLast24h: last24h.reduce(
                (sum, [, n]) => sum + (Number(n) || 0),
                0,
              ),
            }
          : {}),
        firstSeen: issue.firstSeen,
        lastSeen: issue.lastSeen,
        url: issue.permalink,
      };
    })
    .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
}

export function pullRequestsOf(pulls: GithubPull[]): PullRequest[] {
  return pulls.map(pull => ({
    number: pull.number,
    title: pull.title,
    author: pull.user?.login ?? 'unknown',
    url: pull.html_url,
    draft: pull.draft ?? false,
    createdAt: pull.created_at,
  }));
}

export function workflowRunsOf(runs: GithubRun[]): WorkflowRun[] {
  return runs.map(run => ({
    id: run.id,
    name: run.name ?? 'workflow',
    title: run.display_title ?? run.name ?? '',
    status: run.status ?? 'unknown',
    ...(run.conclusion ? { conclusion: run.conclusion } : {}),
    ...(run.head_branch ? { branch: run.head_branch } : {}),
    url: run.html_url,
    createdAt: run.created_at,
  }));
}
