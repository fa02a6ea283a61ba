import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { OpenCostClient, openCostApiRef } from './api/OpenCostClient';

const openCostApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: openCostApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OpenCostClient(discoveryApi, fetchApi),
    }),
});

// On the overview of every component, beside who owns it.
const costCard = EntityCardBlueprint.make({
  name: 'cost',
  params: {
    filter: 'kind:component',
    loader: () => import('./components/CostCard').then(m => <m.CostCard />),
  },
});

/** What a service costs, on its page. */
export const opencostPlugin = createFrontendPlugin({
  pluginId: 'opencost',
  title: 'Costs',
  extensions: [openCostApi, costCard],
});
