import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { RiMoneyDollarCircleLine } from '@remixicon/react';
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

// The Cost tab of a component: daily parts, right-sizing, benchmark.
const costContent = EntityContentBlueprint.make({
  params: {
    path: 'cost',
    title: 'Cost',
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityCostContent').then(m => (
        <m.EntityCostContent />
      )),
  },
});

export const rootRouteRef = createRouteRef();

const costsPage = PageBlueprint.make({
  params: {
    path: '/costs',
    routeRef: rootRouteRef,
    title: 'Costs',
    icon: <RiMoneyDollarCircleLine />,
    loader: () => import('./components/CostsPage').then(m => <m.CostsPage />),
  },
});

/** What services cost: a card and a tab on each component, and a page of every service and team. */
export const opencostPlugin = createFrontendPlugin({
  pluginId: 'opencost',
  title: 'Costs',
  icon: <RiMoneyDollarCircleLine />,
  extensions: [openCostApi, costCard, costContent, costsPage],
  routes: { root: rootRouteRef },
});
