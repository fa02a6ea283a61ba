import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { AddonBlueprint } from '@backstage/plugin-techdocs-react/alpha';
import { DocsBuildStatus } from './DocsBuildStatus';

/** Every docs page shows when its last build failed, with the error and when the shown docs were built. */
export const techdocsModule = createFrontendModule({
  pluginId: 'techdocs',
  extensions: [
    AddonBlueprint.make({
      name: 'build-status',
      params: {
        name: 'DocsBuildStatus',
        location: 'Subheader',
        component: DocsBuildStatus,
      },
    }),
  ],
});
