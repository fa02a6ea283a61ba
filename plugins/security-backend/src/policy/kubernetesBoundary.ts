import { Entity } from '@backstage/catalog-model';
import {
  ClusterObjects,
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
  ObjectsByEntityResponse,
} from '@backstage/plugin-kubernetes-common';

const NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';

/** The id the Kubernetes plugin selects an entity's workloads by. */
export function kubernetesIdOf(entity: Entity): string {
  return (
    entity.metadata.annotations?.[KUBERNETES_ANNOTATION] || entity.metadata.name
  );
}

export interface ContractorKubernetesBoundary {
  allowedNamespaces: string[];
  /** Kubernetes ids of the restricted services, which contractors never see whoever's entity names them. */
  restrictedIds: string[];
}

/**
 * Whether a contractor may look up an entity's workloads at all. An owner can edit the annotations of
 * their own entity, so neither a restricted service's kubernetes-id nor a free label selector nor a
 * namespace outside the contractor policy may widen what they see.
 */
export function contractorMayQuery(
  entity: Entity,
  boundary: ContractorKubernetesBoundary,
): { allowed: true } | { allowed: false; reason: string } {
  const annotations = entity.metadata.annotations ?? {};
  if (annotations[KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION]) {
    return {
      allowed: false,
      reason: `contractors see workloads selected by ${KUBERNETES_ANNOTATION} only, not by ${KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION}`,
    };
  }
  const id = kubernetesIdOf(entity).toLocaleLowerCase('en-US');
  if (boundary.restrictedIds.some(r => r.toLocaleLowerCase('en-US') === id)) {
    return {
      allowed: false,
      reason: `the workloads named ${id} belong to a service that is restricted for contractors`,
    };
  }
  const namespace = annotations[NAMESPACE_ANNOTATION];
  if (namespace && !boundary.allowedNamespaces.includes(namespace)) {
    return {
      allowed: false,
      reason: `namespace ${namespace} is not among the contractor policy's allowedNamespaces (${
        boundary.allowedNamespaces.join(', ') || 'none'
      })`,
    };
  }
  return { allowed: true };
}

interface KubernetesObjectMeta {
  metadata?: { namespace?: string; labels?: Record<string, string> };
}

function visible(
  object: KubernetesObjectMeta | undefined,
  boundary: ContractorKubernetesBoundary,
  restricted: Set<string>,
): boolean {
  const namespace = object?.metadata?.namespace;
  // Cluster-scoped objects (no namespace) are not a contractor's business either.
  if (!namespace || !boundary.allowedNamespaces.includes(namespace)) {
    return false;
  }
  const id = object?.metadata?.labels?.[KUBERNETES_ANNOTATION];
  return !id || !restricted.has(id.toLocaleLowerCase('en-US'));
}

/** Keeps only objects in the contractor's namespaces that no restricted service owns; clusters left empty go. */
export function filterObjectsForContractor(
  response: ObjectsByEntityResponse,
  boundary: ContractorKubernetesBoundary,
): ObjectsByEntityResponse {
  const restricted = new Set(
    boundary.restrictedIds.map(id => id.toLocaleLowerCase('en-US')),
  );
  const items = response.items.map(
    (cluster): ClusterObjects => ({
      ...cluster,
      resources: cluster.resources.map(
        fetched =>
          ({
            ...fetched,
            resources: (fetched.resources as KubernetesObjectMeta[]).filter(
              object => visible(object, boundary, restricted),
            ),
          } as typeof fetched),
      ),
      podMetrics: cluster.podMetrics.filter(metrics =>
        visible(metrics.pod as KubernetesObjectMeta, boundary, restricted),
      ),
    }),
  );
  return {
    items: items.filter(
      cluster =>
        cluster.errors.length > 0 ||
        cluster.resources.some(fetched => fetched.resources.length > 0),
    ),
  };
}
