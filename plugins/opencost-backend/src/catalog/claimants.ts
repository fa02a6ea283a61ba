import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  KUBERNETES_NAMESPACE_ANNOTATION,
  SERVICE_LABEL_ANNOTATION,
} from '@internal/plugin-opencost-common';

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
      filter: [
        'metadata.name',
        'metadata.annotations.backstage.io/kubernetes-id',
        `metadata.annotations.${SERVICE_LABEL_ANNOTATION}`,
        `metadata.annotations.${KUBERNETES_NAMESPACE_ANNOTATION}`,
      ].map(key => ({ kind: 'Component', [key]: name })),
    },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  return items;
}
