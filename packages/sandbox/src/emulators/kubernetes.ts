import express from 'express';
import { matchesLabelSelector } from './labelSelector';
import { DemoCatalog, DemoComponent } from '../demoCatalog';
import { SANDBOX_CREDENTIALS, bearerToken } from '../credentials';
import { daysBefore, sandboxToday, seededHex, seededInt } from '../seeded';

const KUBERNETES_ID = 'backstage.io/kubernetes-id';

/** Workloads that are not healthy in the demo, matching the Argo CD and Datadog emulators. */
const CRASH_LOOPING = new Set(['invoice-service']);

type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

/** The objects of one component's workload: deployment, replica set, pods, service, HPA and ingress. */
function workloadOf(component: DemoComponent): Record<string, KubeObject[]> {
  const id = component.annotations[KUBERNETES_ID];
  const namespace = component.system || 'default';
  const labels = {
    [KUBERNETES_ID]: id,
    'app.kubernetes.io/name': component.name,
    'app.kubernetes.io/part-of': component.system,
  };
  const today = sandboxToday();
  const created = daysBefore(today, seededInt(2, 20, id, 'rollout'));
  const replicas = seededInt(2, 3, id, 'replicas');
  const hash = seededHex(10, id, 'rs');
  const image = `123456789012.dkr.ecr.eu-central-1.amazonaws.com/${
    component.name
  }:${seededHex(7, id, 'image')}`;
  const crashLooping = CRASH_LOOPING.has(component.name);
  const metadata = (name: string) => ({
    name,
    namespace,
    labels,
    uid: `${seededHex(8, id, name)}-${seededHex(4, id, name, 2)}`,
    creationTimestamp: created.toISOString(),
  });
  const container = {
    name: component.name,
    image,
    ports: [{ containerPort: 8080, protocol: 'TCP' }],
    resources: {
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    },
    readinessProbe: { httpGet: { path: '/health/ready', port: 8080 } },
    livenessProbe: { httpGet: { path: '/health/live', port: 8080 } },
  };
  const pods = Array.from({ length: replicas }, (_, i) => {
    const broken = crashLooping && i === 0;
    const restarts = broken ? 37 : seededInt(0, 1, id, 'restarts', i);
    const started = daysBefore(today, seededInt(0, 2, id, 'started', i));
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...metadata(`${component.name}-${hash}-${seededHex(5, id, 'pod', i)}`),
        labels: { ...labels, 'pod-template-hash': hash },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: `${component.name}-${hash}`,
          },
        ],
      },
      spec: {
        containers: [container],
        nodeName: `ip-10-0-${i + 1}-17.eu-central-1.compute.internal`,
      },
      status: {
        phase: 'Running',
        podIP: `10.0.${i + 1}.${seededInt(2, 250, id, 'ip', i)}`,
        startTime: started.toISOString(),
        conditions: [
          { type: 'Initialized', status: 'True' },
          { type: 'Ready', status: broken ? 'False' : 'True' },
          { type: 'ContainersReady', status: broken ? 'False' : 'True' },
          { type: 'PodScheduled', status: 'True' },
        ],
        containerStatuses: [
          {
            name: component.name,
            image,
            ready: !broken,
            started: !broken,
            restartCount: restarts,
            state: broken
              ? {
                  waiting: {
                    reason: 'CrashLoopBackOff',
                    message: `back-off 5m0s restarting failed container=${component.name} pod=${component.name}-${hash}`,
                  },
                }
              : { running: { startedAt: started.toISOString() } },
            ...(broken
              ? {
                  lastState: {
                    terminated: {
                      exitCode: 1,
                      reason: 'Error',
                      message: 'java.lang.OutOfMemoryError: Java heap space',
                      finishedAt: today.toISOString(),
                    },
                  },
                }
              : {}),
          },
        ],
      },
    };
  });
  const ready = pods.filter(p => p.status.containerStatuses[0].ready).length;
  return {
    pods,
    deployments: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          ...metadata(component.name),
          annotations: { 'deployment.kubernetes.io/revision': '12' },
        },
        spec: {
          replicas,
          selector: { matchLabels: { [KUBERNETES_ID]: id } },
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
          },
          template: { metadata: { labels }, spec: { containers: [container] } },
        },
        status: {
          replicas,
          readyReplicas: ready,
          availableReplicas: ready,
          updatedReplicas: replicas,
          ...(ready < replicas
            ? { unavailableReplicas: replicas - ready }
            : {}),
          conditions: [
            {
              type: 'Available',
              status: ready === replicas ? 'True' : 'False',
              reason:
                ready === replicas
                  ? 'MinimumReplicasAvailable'
                  : 'MinimumReplicasUnavailable',
            },
            {
              type: 'Progressing',
              status: 'True',
              reason: 'NewReplicaSetAvailable',
            },
          ],
        },
      },
    ],
    replicasets: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          ...metadata(`${component.name}-${hash}`),
          labels: { ...labels, 'pod-template-hash': hash },
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'Deployment', name: component.name },
          ],
        },
        spec: { replicas, selector: { matchLabels: { [KUBERNETES_ID]: id } } },
        status: { replicas, readyReplicas: ready, availableReplicas: ready },
      },
    ],
    horizontalpodautoscalers: [
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: metadata(component.name),
        spec: {
          scaleTargetRef: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: component.name,
          },
          minReplicas: 2,
          maxReplicas: 6,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: 70 },
              },
            },
          ],
        },
        status: {
          currentReplicas: replicas,
          desiredReplicas: replicas,
          currentMetrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                current: { averageUtilization: seededInt(20, 65, id, 'cpu') },
              },
            },
          ],
        },
      },
    ],
    services: [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: metadata(component.name),
        spec: {
          type: 'ClusterIP',
          clusterIP: `172.20.${seededInt(1, 250, id, 'svc')}.${seededInt(
            1,
            250,
            id,
            'svc2',
          )}`,
          selector: { [KUBERNETES_ID]: id },
          ports: [
            { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
          ],
        },
        status: { loadBalancer: {} },
      },
    ],
    ingresses:
      component.type === 'website' || component.name === 'api-gateway'
        ? [
            {
              apiVersion: 'networking.k8s.io/v1',
              kind: 'Ingress',
              metadata: metadata(component.name),
              spec: {
                ingressClassName: 'alb',
                rules: [
                  {
                    host: `${component.name}.quillstack.example`,
                    http: {
                      paths: [
                        {
                          path: '/',
                          pathType: 'Prefix',
                          backend: {
                            service: {
                              name: component.name,
                              port: { number: 80 },
                            },
                          },
                        },
                      ],
                    },
                  },
                ],
              },
            },
          ]
        : [],
  };
}

const LIST_KINDS: Record<string, string> = {
  pods: 'PodList',
  deployments: 'DeploymentList',
  replicasets: 'ReplicaSetList',
  horizontalpodautoscalers: 'HorizontalPodAutoscalerList',
  services: 'ServiceList',
  ingresses: 'IngressList',
};

/**
 * The Kubernetes API list endpoints that @backstage/plugin-kubernetes-backend reads, cluster-wide or by
 * namespace, filtered by label selector: one workload per component with `backstage.io/kubernetes-id`
 * in its system's namespace. Any other resource is an empty list.
 */
export function kubernetesEmulator(catalog: DemoCatalog) {
  const app = express();
  const objects: Record<string, KubeObject[]> = {};
  for (const component of catalog.components) {
    if (!component.annotations[KUBERNETES_ID]) continue;
    for (const [resource, items] of Object.entries(workloadOf(component))) {
      (objects[resource] ??= []).push(...(items as KubeObject[]));
    }
  }

  app.use((req, res, next) => {
    if (
      bearerToken(req.header('authorization')) !==
      SANDBOX_CREDENTIALS.kubernetesToken
    ) {
      res.status(401).json({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
      return;
    }
    next();
  });

  const list = (
    req: express.Request,
    res: express.Response,
    resource: string,
    apiVersion: string,
    namespace?: string,
  ) => {
    const selector =
      typeof req.query.labelSelector === 'string'
        ? req.query.labelSelector
        : '';
    const items = (objects[resource] ?? []).filter(
      o =>
        (namespace === undefined || o.metadata.namespace === namespace) &&
        matchesLabelSelector(o.metadata.labels, selector),
    );
    res.json({
      apiVersion,
      kind: LIST_KINDS[resource] ?? 'List',
      metadata: { resourceVersion: '1' },
      items,
    });
  };

  app.get('/version', (_req, res) => {
    res.json({
      major: '1',
      minor: '30',
      gitVersion: 'v1.30.4-eks-sandbox',
      platform: 'linux/amd64',
    });
  });
  app.get('/api/v1/namespaces/:namespace/:resource', (req, res) =>
    list(req, res, req.params.resource, 'v1', req.params.namespace),
  );
  app.get('/api/v1/:resource', (req, res) =>
    list(req, res, req.params.resource, 'v1'),
  );
  app.get('/apis/:group/:version/namespaces/:namespace/:resource', (req, res) =>
    list(
      req,
      res,
      req.params.resource,
      `${req.params.group}/${req.params.version}`,
      req.params.namespace,
    ),
  );
  app.get('/apis/:group/:version/:resource', (req, res) =>
    list(
      req,
      res,
      req.params.resource,
      `${req.params.group}/${req.params.version}`,
    ),
  );
  return app;
}
