import express from 'express';
import { matchesLabelSelector } from './labelSelector';
import { DemoCatalog, DemoComponent } from '../demoCatalog';
import { SANDBOX_CREDENTIALS, bearerToken } from '../credentials';
import { daysBefore, sandboxToday, seededHex, seededInt } from '../seeded';
import { parseAllDocuments } from 'yaml';
import { RepositoryPushed, SandboxEvents } from './githubPublished';

/** The environments every service is deployed to, one Argo CD application each: <service>-<suffix>. */
export const ENVIRONMENTS = [
  { name: 'development', suffix: 'dev', namespaceSuffix: '-dev' },
  { name: 'staging', suffix: 'staging', namespaceSuffix: '-staging' },
  { name: 'production', suffix: 'prod', namespaceSuffix: '' },
] as const;

/** Applications that are not green in the demo, so the portal has something to show. */
const DEMO_STATES: Record<
  string,
  { sync: string; health: string; phase: string; message: string }
> = {
  'fraud-screening-staging': {
    sync: 'OutOfSync',
    health: 'Missing',
    phase: 'Failed',
    message:
      'one or more objects failed to apply, reason: admission webhook "validate.kyverno.svc" denied the request: image tag "latest" is not allowed',
  },
  'fraud-screening-prod': {
    sync: 'Synced',
    health: 'Progressing',
    phase: 'Running',
    message: 'waiting for healthy state of apps/Deployment/fraud-screening',
  },
  'invoice-service-prod': {
    sync: 'Synced',
    health: 'Degraded',
    phase: 'Succeeded',
    message:
      'Deployment "invoice-service" exceeded its progress deadline (CrashLoopBackOff)',
  },
};

function application(
  component: DemoComponent,
  appName: string,
  environment: (typeof ENVIRONMENTS)[number],
) {
  const today = sandboxToday();
  const state = DEMO_STATES[appName] ?? {
    sync: 'Synced',
    health: 'Healthy',
    phase: 'Succeeded',
    message: 'successfully synced (all tasks run)',
  };
  const history = [3, 2, 1, 0].map((i, index) => {
    const revision = seededHex(40, appName, 'revision', i);
    const deployedAt = daysBefore(
      today,
      i * 2 + seededInt(0, 1, appName, i),
    ).toISOString();
    return {
      id: 38 + index,
      revision,
      deployedAt,
      deployStartedAt: deployedAt,
      source: {
        repoURL: `https://github.com/quillstack/${component.name}`,
        path: 'deploy/helm',
        targetRevision: 'main',
      },
    };
  });
  const current = history[history.length - 1];
  const namespace = `${component.system}${environment.namespaceSuffix}`;
  return {
    metadata: {
      name: appName,
      namespace: 'argocd',
      uid: `${seededHex(8, appName, 'uid')}-${seededHex(4, appName, 'u2')}`,
      creationTimestamp: daysBefore(today, 400).toISOString(),
      labels: {
        'backstage-name': component.name,
        'app.kubernetes.io/part-of': component.system,
        environment: environment.name,
      },
    },
    spec: {
      project: component.system,
      source: {
        repoURL: `https://github.com/quillstack/${component.name}`,
        path: 'deploy/helm',
        targetRevision: 'main',
        helm: {
          valueFiles: ['values.yaml', `values-${environment.suffix}.yaml`],
        },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
    status: {
      sync: { status: state.sync, revision: current.revision },
      health: {
        status: state.health,
        ...(state.health === 'Healthy' ? {} : { message: state.message }),
      },
      history,
      operationState: {
        phase: state.phase,
        message: state.message,
        startedAt: current.deployStartedAt,
        ...(state.phase === 'Running'
          ? {}
          : { finishedAt: current.deployedAt }),
        syncResult: { revision: current.revision },
      },
      reconciledAt: today.toISOString(),
      summary: {
        images: [
          `123456789012.dkr.ecr.eu-central-1.amazonaws.com/${
            component.name
          }:${current.revision.slice(0, 7)}`,
        ],
      },
      resources: [
        {
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          namespace,
          name: component.name,
          status: state.sync,
          health: { status: state.health },
        },
        {
          version: 'v1',
          kind: 'Service',
          namespace,
          name: component.name,
          status: 'Synced',
          health: { status: 'Healthy' },
        },
      ],
    },
  };
}

/** Seconds a new application takes from its first sync to Healthy. */
const FIRST_ROLLOUT_MS = 5000;

/**
 * An application a repository's deploy/argocd manifest defines, as Argo CD reports it right after the
 * push: automated ones syncing the pushed revision (Progressing, then Healthy), manual ones OutOfSync
 * and Missing until someone syncs them.
 */
function deployedApplication(
  manifest: any,
  { fullName, sha }: RepositoryPushed,
) {
  const now = new Date().toISOString();
  const automated = Boolean(manifest.spec?.syncPolicy?.automated);
  const source = manifest.spec.source;
  return {
    metadata: {
      name: String(manifest.metadata.name),
      namespace: 'argocd',
      uid: `${seededHex(8, fullName, manifest.metadata.name)}-${seededHex(
        4,
        sha,
      )}`,
      creationTimestamp: now,
      labels: { ...(manifest.metadata.labels ?? {}) } as Record<string, string>,
    },
    spec: manifest.spec,
    status: {
      sync: { status: automated ? 'Synced' : 'OutOfSync', revision: sha },
      health: automated
        ? {
            status: 'Progressing',
            message: `waiting for rollout of ${fullName}`,
          }
        : { status: 'Missing' },
      history: automated
        ? [
            {
              id: 1,
              revision: sha,
              deployedAt: now,
              deployStartedAt: now,
              source,
            },
          ]
        : [],
      operationState: automated
        ? {
            phase: 'Running',
            message: 'syncing: applying manifests',
            startedAt: now,
            syncResult: { revision: sha },
          }
        : undefined,
      reconciledAt: now,
      summary: { images: [] as string[] },
      resources: [] as unknown[],
    },
  };
}

/**
 * Argo CD API v1, the subset the portal reads: applications by name or by label selector (three per
 * service: development, staging, production, labelled backstage-name and environment), and a sync that
 * runs for a few seconds before it succeeds.
 */
export function argocdEmulator(
  catalog: DemoCatalog,
  { events }: { events: SandboxEvents },
) {
  const app = express();
  app.use(express.json());
  const applications = new Map<string, ReturnType<typeof application>>();
  for (const component of catalog.components) {
    if (
      !component.annotations['argocd/app-name'] &&
      !component.annotations['argocd/app-selector']
    ) {
      continue;
    }
    for (const environment of ENVIRONMENTS) {
      const name = `${component.name}-${environment.suffix}`;
      applications.set(name, application(component, name, environment));
    }
  }
  // The prod application keeps the name argocd/app-name gives it, whatever that is.
  for (const component of catalog.components) {
    const named = component.annotations['argocd/app-name'];
    if (named && !applications.has(named)) {
      applications.set(named, application(component, named, ENVIRONMENTS[2]));
    }
  }

  // The platform's ApplicationSet: each repository's deploy/argocd/*.yaml applications, synced on push.
  events.onRepositoryPushed(pushed => {
    for (const [file, content] of pushed.files) {
      if (!/^deploy\/argocd\/[^/]+\.ya?ml$/.test(file)) continue;
      for (const document of parseAllDocuments(content.toString('utf8'))) {
        const manifest = document.toJS();
        if (
          manifest?.kind !== 'Application' ||
          !manifest.metadata?.name ||
          manifest.spec?.source?.repoURL !==
            `https://github.com/${pushed.fullName}`
        ) {
          continue;
        }
        const deployed = deployedApplication(manifest, pushed);
        applications.set(deployed.metadata.name, deployed as any);
        if (deployed.status.operationState) {
          setTimeout(() => {
            deployed.status.health = { status: 'Healthy' } as any;
            deployed.status.operationState = {
              ...deployed.status.operationState!,
              phase: 'Succeeded',
              message: 'successfully synced (all tasks run)',
              finishedAt: new Date().toISOString(),
            } as any;
          }, FIRST_ROLLOUT_MS).unref();
        }
      }
    }
  });

  app.use((req, res, next) => {
    if (
      bearerToken(req.header('authorization')) !==
      SANDBOX_CREDENTIALS.argocdToken
    ) {
      res.status(401).json({
        error: 'no session information',
        code: 16,
        message: 'no session information',
      });
      return;
    }
    next();
  });

  const notFound = (res: express.Response, appName: string) => {
    const message = `applications.argoproj.io "${appName}" not found`;
    res.status(404).json({ error: message, code: 5, message });
  };

  app.get('/api/v1/applications', (req, res) => {
    const selector =
      typeof req.query.selector === 'string' ? req.query.selector : '';
    res.json({
      metadata: { resourceVersion: '1' },
      items: [...applications.values()].filter(a =>
        matchesLabelSelector(a.metadata.labels, selector),
      ),
    });
  });

  app.get('/api/v1/applications/:name', (req, res) => {
    const found = applications.get(req.params.name);
    if (!found) {
      notFound(res, req.params.name);
      return;
    }
    res.json(found);
  });

  app.get(
    '/api/v1/applications/:name/revisions/:revision/metadata',
    (req, res) => {
      const found = applications.get(req.params.name);
      const entry = found?.status.history.find(
        h => h.revision === req.params.revision,
      );
      if (!found || !entry) {
        notFound(res, req.params.name);
        return;
      }
      res.json({
        author: `${found.metadata.labels['backstage-name']} team <dev@quillstack.example>`,
        date: entry.deployedAt,
        message: `Release ${entry.revision.slice(0, 7)} of ${
          found.metadata.labels['backstage-name']
        }`,
        tags: [],
      });
    },
  );

  app.post('/api/v1/applications/:name/sync', (req, res) => {
    const found = applications.get(req.params.name);
    if (!found) {
      notFound(res, req.params.name);
      return;
    }
    const startedAt = new Date();
    const revision = found.status.sync.revision;
    found.status.operationState = {
      phase: 'Running',
      message: 'syncing: applying manifests',
      startedAt: startedAt.toISOString(),
      syncResult: { revision },
    } as typeof found.status.operationState;
    setTimeout(() => {
      found.status.operationState = {
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        syncResult: { revision },
      };
      found.status.sync.status = 'Synced';
      if (found.status.health.status === 'Missing') {
        found.status.health = {
          status: 'Healthy',
        } as typeof found.status.health;
      }
    }, 3000).unref();
    res.json(found);
  });
  return app;
}
