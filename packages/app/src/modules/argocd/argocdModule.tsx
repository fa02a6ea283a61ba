import {
  ApiBlueprint,
  createFrontendModule,
  discoveryApiRef,
  identityApiRef,
} from '@backstage/frontend-plugin-api';
import {
  ArgoCDApiClient,
  argoCDApiRef,
} from '@roadiehq/backstage-plugin-argo-cd';

/**
 * Roadie's Argo CD plugin (its new-frontend-system plugin, discovered from app.packages) reads Argo CD
 * through our service-health backend instead of the proxy: read-only, and only the applications of
 * services the person may read. Roadie's client appends `/argocd/api/applications...` to this base.
 */
export const argocdModule = createFrontendModule({
  pluginId: 'argocd',
  extensions: [
    ApiBlueprint.make({
      params: defineParams =>
        defineParams({
          api: argoCDApiRef,
          deps: { discoveryApi: discoveryApiRef, identityApi: identityApiRef },
          factory: ({ discoveryApi, identityApi }) =>
            new ArgoCDApiClient({
              discoveryApi: {
                getBaseUrl: () => discoveryApi.getBaseUrl('service-health'),
              },
              identityApi,
              backendBaseUrl: '',
              useNamespacedApps: false,
              searchInstances: false,
            }),
        }),
    }),
  ],
});
