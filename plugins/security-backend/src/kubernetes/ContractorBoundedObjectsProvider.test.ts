import fc from 'fast-check';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { KubernetesObjectsProvider } from '@backstage/plugin-kubernetes-node';
import {
  FetchResponse,
  ObjectsByEntityResponse,
} from '@backstage/plugin-kubernetes-common';
import { readSecurityConfig } from '../config/readSecurityConfig';
import { RoleResolver } from '../service/RoleResolver';
import {
  catalogEntity,
  TRUSTED_ORG_SOURCES,
} from '../__testUtils__/catalogEntities';
import { filterObjectsForContractor } from '../policy/kubernetesBoundary';
import { ContractorBoundedObjectsProvider } from './ContractorBoundedObjectsProvider';

const withKubernetes = (
  entity: Entity,
  annotations: Record<string, string>,
): Entity => ({
  ...entity,
  metadata: {
    ...entity.metadata,
    annotations: { ...entity.metadata.annotations, ...annotations },
  },
});

const ENTITIES = [
  catalogEntity('Group', 'engineering', { type: 'team' }),
  catalogEntity('Group', 'contractors-northwind', { type: 'team' }),
  catalogEntity('User', 'erik-larsen', {}, ['engineering']),
  catalogEntity('User', 'rafael-ortiz', {}, ['contractors-northwind']),
  withKubernetes(
    catalogEntity('Component', 'payment-gateway', { owner: 'team-payments' }),
    { 'backstage.io/kubernetes-id': 'payments-api' },
  ),
];

const pod = (name: string, namespace: string | undefined, id: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    ...(namespace ? { namespace } : {}),
    labels: { 'backstage.io/kubernetes-id': id },
  },
});

/** What the Kubernetes plugin's own provider returns for a label selector that spans namespaces. */
const UPSTREAM: ObjectsByEntityResponse = {
  items: [
    {
      cluster: { name: 'eks-production' },
      errors: [],
      podMetrics: [
        {
          pod: pod('invoice-7d9', 'invoicing', 'invoice-service') as any,
          cpu: {} as any,
          memory: {} as any,
          containers: [],
        },
        {
          pod: pod('invoice-legacy-1', 'payments', 'invoice-service') as any,
          cpu: {} as any,
          memory: {} as any,
          containers: [],
        },
      ],
      resources: [
        {
          type: 'pods',
          resources: [
            pod('invoice-7d9', 'invoicing', 'invoice-service'),
            pod('invoice-legacy-1', 'payments', 'invoice-service'),
            pod('payments-api-1', 'invoicing', 'payments-api'),
          ],
        } as FetchResponse,
      ],
    },
  ],
};

function provider() {
  const config = readSecurityConfig(
    new ConfigReader({
      security: {
        trustedOrgSources: TRUSTED_ORG_SOURCES,
        roles: [
          { group: 'group:default/engineering', role: 'developer' },
          {
            group: 'group:default/contractors-northwind',
            role: 'contractor-developer',
          },
        ],
        contractorPolicy: {
          permissions: { allowedNamespaces: ['invoicing'] },
          accessBoundaries: {
            restrictedServices: ['component:default/payment-gateway'],
          },
        },
      },
    }),
  );
  const catalog = catalogServiceMock({ entities: ENTITIES });
  const auth = mockServices.auth();
  const inner: KubernetesObjectsProvider = {
    getKubernetesObjectsByEntity: jest.fn(async () => UPSTREAM),
    getCustomResourcesByEntity: jest.fn(async () => UPSTREAM),
  };
  return {
    inner,
    bounded: new ContractorBoundedObjectsProvider(
      inner,
      new RoleResolver(catalog, mockServices.cache.mock(), auth, config),
      catalog,
      auth,
      config,
    ),
  };
}

const asUser = (name: string) => ({
  credentials: mockCredentials.user(`user:default/${name}`),
});
const podNames = (response: ObjectsByEntityResponse) =>
  response.items.flatMap(cluster =>
    cluster.resources.flatMap(fetched =>
      (fetched.resources as Array<{ metadata: { name: string } }>).map(
        object => object.metadata.name,
      ),
    ),
  );

describe('ContractorBoundedObjectsProvider', () => {
  const ownService = catalogEntity('Component', 'invoice-helper', {
    owner: 'contractors-northwind',
  });

  it("shows a contractor only their allowed namespaces' objects that no restricted service owns", async () => {
    const { bounded } = provider();
    const entity = withKubernetes(ownService, {
      'backstage.io/kubernetes-id': 'invoice-service',
    });
    const response = await bounded.getKubernetesObjectsByEntity(
      { entity, auth: {} },
      asUser('rafael-ortiz'),
    );
    expect(podNames(response)).toEqual(['invoice-7d9']);
    expect(response.items[0].podMetrics.map(m => m.pod.metadata!.name)).toEqual(
      ['invoice-7d9'],
    );
  });

  it('passes employees and service callers through unchanged', async () => {
    const { bounded } = provider();
    const entity = withKubernetes(ownService, {
      'backstage.io/kubernetes-id': 'invoice-service',
    });
    const employee = await bounded.getKubernetesObjectsByEntity(
      { entity, auth: {} },
      asUser('erik-larsen'),
    );
    expect(podNames(employee)).toHaveLength(3);
    const service = await bounded.getKubernetesObjectsByEntity(
      { entity, auth: {} },
      { credentials: mockCredentials.service('plugin:catalog') },
    );
    expect(podNames(service)).toHaveLength(3);
  });

  it.each([
    [
      "a restricted service's kubernetes-id",
      { 'backstage.io/kubernetes-id': 'payments-api' },
      /restricted for contractors/,
    ],
    [
      'a label selector',
      { 'backstage.io/kubernetes-label-selector': 'app in (payments-api)' },
      /kubernetes-label-selector/,
    ],
    [
      'a namespace outside allowedNamespaces',
      {
        'backstage.io/kubernetes-id': 'invoice-helper',
        'backstage.io/kubernetes-namespace': 'payments',
      },
      /allowedNamespaces/,
    ],
  ])(
    "refuses a contractor's own entity annotated with %s, before asking the cluster",
    async (_what, annotations, reason) => {
      const { bounded, inner } = provider();
      const request = bounded.getKubernetesObjectsByEntity(
        { entity: withKubernetes(ownService, annotations), auth: {} },
        asUser('rafael-ortiz'),
      );
      await expect(request).rejects.toThrow(NotAllowedError);
      await expect(request).rejects.toThrow(reason);
      expect(inner.getKubernetesObjectsByEntity).not.toHaveBeenCalled();
    },
  );

  it('bounds custom resources the same way', async () => {
    const { bounded } = provider();
    const response = await bounded.getCustomResourcesByEntity(
      {
        entity: withKubernetes(ownService, {
          'backstage.io/kubernetes-id': 'invoice-service',
        }),
        auth: {},
        customResources: [],
      },
      asUser('rafael-ortiz'),
    );
    expect(podNames(response)).toEqual(['invoice-7d9']);
  });

  it('property: whatever the cluster returns, a contractor sees only objects in allowed namespaces and none of a restricted service', () => {
    const namespace = fc.option(
      fc.constantFrom('invoicing', 'payments', 'kube-system', 'reporting'),
      { nil: undefined },
    );
    const id = fc.constantFrom('invoice-service', 'payments-api', 'ledger');
    const anyPod = fc
      .tuple(fc.string({ minLength: 1, maxLength: 8 }), namespace, id)
      .map(([name, ns, podId]) => pod(name, ns, podId));
    fc.assert(
      fc.property(
        fc.array(fc.array(anyPod, { maxLength: 6 }), { maxLength: 3 }),
        fc.subarray(['invoicing', 'payments', 'reporting']),
        fc.subarray(['payments-api', 'ledger']),
        (clusters, allowedNamespaces, restrictedIds) => {
          const response: ObjectsByEntityResponse = {
            items: clusters.map((pods, i) => ({
              cluster: { name: `cluster-${i}` },
              errors: [],
              podMetrics: [],
              resources: [{ type: 'pods', resources: pods } as FetchResponse],
            })),
          };
          const filtered = filterObjectsForContractor(response, {
            allowedNamespaces,
            restrictedIds,
          });
          const seen = filtered.items.flatMap(c =>
            c.resources.flatMap(
              r => r.resources as Array<ReturnType<typeof pod>>,
            ),
          );
          const kept = clusters
            .flat()
            .filter(
              p =>
                p.metadata.namespace !== undefined &&
                allowedNamespaces.includes(p.metadata.namespace) &&
                !restrictedIds.includes(
                  p.metadata.labels['backstage.io/kubernetes-id'],
                ),
            );
          expect(seen).toEqual(kept);
        },
      ),
      { numRuns: 200 },
    );
  });
});
