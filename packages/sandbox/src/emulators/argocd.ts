import express from 'express';
import { DemoCatalog, DemoComponent } from '../demoCatalog';
import { SANDBOX_CREDENTIALS, bearerToken } from '../credentials';
import { daysBefore, sandboxToday, seededHex, seededInt } from '../seeded';

/** Applications that are not green in the demo, so the portal has something to show. */
const DEMO_STATES: Record<
  string,
  { sync: string; health: string; phase: string; message: string }
> = {
  'fraud-screening-prod': {
    sync: 'OutOfSync',
    health: 'Progressing',
    phase: 'Running',
    message: 'waiting for healthy state of apps/Deployment/fraud-screening',
  },
  'usage-metering-prod': {
    sync: 'Synced',
    health: 'Degraded',
    phase: 'Succeeded',
    message:
      'Deployment "usage-metering" exceeded its progress deadline (CrashLoopBackOff)',
  },
};

function application(component: DemoComponent, appName: string) {
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
  const namespace = component.system;
  return {
    metadata: {
      name: appName,
      namespace: 'argocd',
      uid: `${seededHex(8, appName, 'uid')}-${seededHex(4, appName, 'u2')}`,
      creationTimestamp: daysBefore(today, 400).toISOString(),
      labels: {
        'backstage-name': component.name,
        'app.kubernetes.io/part-of': component.system,
      },
    },
    spec: {
      project: component.system,
      source: {
        repoURL: `https://github.com/quillstack/${component.name}`,
        path: 'deploy/helm',
        targetRevision: 'main',
        helm: { valueFiles: ['values.yaml', 'values-prod.yaml'] },
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

/** Argo CD API v1, the subset the portal reads: GET /api/v1/applications/{name}. */
export function argocdEmulator(catalog: DemoCatalog) {
  const app = express();
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

  app.get('/api/v1/applications/:name', (req, res) => {
    const appName = req.params.name;
    const component = catalog.components.find(
      c => c.annotations['argocd/app-name'] === appName,
    );
    if (!component) {
      const message = `applications.argoproj.io "${appName}" not found`;
      res.status(404).json({ error: message, code: 5, message });
      return;
    }
    res.json(application(component, appName));
  });
  return app;
}
