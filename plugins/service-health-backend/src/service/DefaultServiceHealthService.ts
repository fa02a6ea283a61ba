import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  ChangesSignal,
  Deployment,
  DeploymentsSignal,
  ErrorsSignal,
  MonitorsSignal,
  Signal,
  signalAnnotation,
  SIGNAL_ANNOTATIONS,
} from '@internal/plugin-service-health-common';
import { ArgoCdClient } from '../clients/ArgoCdClient';
import { DatadogClient } from '../clients/DatadogClient';
import { GithubClient } from '../clients/GithubClient';
import { SentryClient } from '../clients/SentryClient';
import {
  deploymentsOf,
  errorIssuesOf,
  monitorsOf,
  pullRequestsOf,
  workflowRunsOf,
} from '../signals/normalise';
import { githubRepositoryOf } from '../signals/targets';
import { CachedSignals } from './CachedSignals';

export interface UpstreamClients {
  argocd?: ArgoCdClient;
  datadog?: DatadogClient;
  sentry?: { client: SentryClient; organization: string };
  github?: GithubClient;
}

/**
 * Reads a service's signals from its upstreams, through the cache. The upstream is named by the
 * entity's annotations, and only where it is really the service's: Argo CD applications must carry the
 * service's `backstage-name` label, the Sentry project must be in the portal's organization, the GitHub
 * repository must be the one the entity is defined in.
 */
export class DefaultServiceHealthService {
  constructor(
    private readonly clients: UpstreamClients,
    private readonly cache: CachedSignals,
  ) {}

  private annotation(entity: Entity, signal: Signal) {
    const found = signalAnnotation(entity.metadata.annotations, signal);
    if (!found) {
      throw new InputError(
        `${stringifyEntityRef(entity)} has no ${SIGNAL_ANNOTATIONS[signal].join(
          ' or ',
        )} annotation; add it to its catalog-info.yaml`,
      );
    }
    return found;
  }

  private configured<T>(client: T | undefined, upstream: string): T {
    if (!client) {
      throw new InputError(
        `The portal has no ${upstream} configured; an admin sets it in app-config`,
      );
    }
    return client;
  }

  async deployments(
    entity: Entity,
    options: { refresh?: boolean; refreshAfterSeconds?: number } = {},
  ): Promise<DeploymentsSignal> {
    const argocd = this.configured(this.clients.argocd, 'Argo CD');
    const { name, value } = this.annotation(entity, 'deployments');
    const service = entity.metadata.name;
    const { payload, freshness } = await this.cache.read(
      stringifyEntityRef(entity),
      'deployments',
      async () => {
        const applications =
          name === 'argocd/app-selector'
            ? await argocd.listBySelector(value)
            : [await argocd.getApplication(value)];
        // An annotation can be edited by the service's owners: only applications labelled as this
        // service are shown (and can be synced), whatever the selector matches.
        const own = applications.filter(
          app => app.metadata.labels?.['backstage-name'] === service,
        );
        return deploymentsOf(own, app => argocd.applicationUrl(app));
      },
      options.refreshAfterSeconds ?? (options.refresh ? 2 : undefined),
    );
    return { items: payload, freshness };
  }

  /**
   * Syncs one of the service's applications: it must be among those its annotation selects and labelled
   * as this service (an owner cannot point the sync at another team's application).
   */
  async sync(entity: Entity, application: string): Promise<Deployment> {
    const argocd = this.configured(this.clients.argocd, 'Argo CD');
    const { items } = await this.deployments(entity, { refresh: true });
    if (!items.some(d => d.application === application)) {
      throw new NotAllowedError(
        `${application} is not one of ${stringifyEntityRef(
          entity,
        )}'s Argo CD applications (${
          items.map(d => d.application).join(', ') || 'none'
        })`,
      );
    }
    const synced = await argocd.sync(application);
    // Everyone who follows the service sees the sync from now on, not the answer stored before it.
    await this.deployments(entity, { refreshAfterSeconds: 0 }).catch(
      () => undefined,
    );
    const [deployment] = deploymentsOf([synced], app =>
      argocd.applicationUrl(app),
    );
    return deployment;
  }

  /** Applications as Argo CD returns them; who may see which is the authorizing layer's business. */
  async argoApplications(selector?: string) {
    const argocd = this.configured(this.clients.argocd, 'Argo CD');
    return argocd.listBySelector(selector ?? '');
  }

  async argoRevisionMetadata(name: string, revision: string) {
    return this.configured(this.clients.argocd, 'Argo CD').revisionMetadata(
      name,
      revision,
    );
  }

  async argoApplication(name: string) {
    return this.configured(this.clients.argocd, 'Argo CD').getApplication(name);
  }

  async monitors(entity: Entity): Promise<MonitorsSignal> {
    const datadog = this.configured(this.clients.datadog, 'Datadog');
    const { value: dashboardUrl } = this.annotation(entity, 'monitors');
    const { payload, freshness } = await this.cache.read(
      stringifyEntityRef(entity),
      'monitors',
      async () =>
        monitorsOf(
          await datadog.monitorsTagged(`service:${entity.metadata.name}`),
          id => datadog.monitorUrl(id),
        ),
    );
    return { items: payload, dashboardUrl, freshness };
  }

  async errors(entity: Entity): Promise<ErrorsSignal> {
    const sentry = this.configured(this.clients.sentry, 'Sentry');
    const { value } = this.annotation(entity, 'errors');
    const [organization, project] = value.split('/');
    if (!project || organization !== sentry.organization) {
      throw new NotAllowedError(
        `sentry/project-slug must name a project of the ${sentry.organization} organization as ${sentry.organization}/<project>, not '${value}'`,
      );
    }
    const { payload, freshness } = await this.cache.read(
      stringifyEntityRef(entity),
      'errors',
      async () =>
        errorIssuesOf(
          await sentry.client.unresolvedIssues(organization, project),
        ),
    );
    return { items: payload, freshness };
  }

  async changes(entity: Entity): Promise<ChangesSignal> {
    const github = this.configured(this.clients.github, 'GitHub');
    const { value } = this.annotation(entity, 'changes');
    const repository = githubRepositoryOf(entity, value);
    if ('refusal' in repository) {
      throw new NotAllowedError(repository.refusal);
    }
    const { owner, repo } = repository;
    const { payload, freshness } = await this.cache.read(
      stringifyEntityRef(entity),
      'changes',
      async () => {
        const [pulls, runs] = await Promise.all([
          github.openPullRequests(owner, repo),
          github.latestRuns(owner, repo),
        ]);
        return {
          pullRequests: pullRequestsOf(pulls),
          runs: workflowRunsOf(runs),
        };
      },
    );
    return { ...payload, freshness };
  }
}
