import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  KUBERNETES_NAMESPACE_ANNOTATION,
  SERVICE_LABEL_ANNOTATION,
} from '@internal/plugin-opencost-common';

/** Where a component claims an OpenCost label or namespace: its name, kubernetes-id or an annotation. */
const CLAIM_KEYS = [
  'metadata.name',
  'metadata.annotations.backstage.io/kubernetes-id',
  `metadata.annotations.${SERVICE_LABEL_ANNOTATION}`,
  `metadata.annotations.${KUBERNETES_NAMESPACE_ANNOTATION}`,
];

/** The labels and namespaces a component claims (by CLAIM_KEYS). */
export function claimedNamesOf(entity: Entity): Set<string> {
  const annotations = entity.metadata.annotations ?? {};
  return new Set(
    [
      entity.metadata.name,
      annotations['backstage.io/kubernetes-id'],
      annotations[SERVICE_LABEL_ANNOTATION],
      annotations[KUBERNETES_NAMESPACE_ANNOTATION],
    ].filter((name): name is string => Boolean(name)),
  );
}

/**
 * Whether `name` is the component's own: its name or its kubernetes-id. Annotations are not enough, since
 * any owner can write one that names another team's label.
 */
export function isOwnName(entity: Entity, name: string): boolean {
  return [
    entity.metadata.name,
    entity.metadata.annotations?.['backstage.io/kubernetes-id'],
  ].includes(name);
}

/**
 * Every component that claims an OpenCost label or namespace (by name, kubernetes-id or annotation),
 * looked up with the portal's own credentials so that restricted claimants count too.
 */
export async function componentsClaiming(
  catalog: CatalogService,
  auth: AuthService,
  name: string,
): Promise<Entity[]> {
  const { items } = await catalog.getEntities(
    {
      filter: CLAIM_KEYS.map(key => ({ kind: 'Component', [key]: name })),
    },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  return items;
}
