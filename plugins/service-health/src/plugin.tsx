import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  ServiceHealthClient,
  serviceHealthApiRef,
} from './api/ServiceHealthClient';

const serviceHealthApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: serviceHealthApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ServiceHealthClient(discoveryApi, fetchApi),
    }),
});

// On the overview of every component; a card whose annotation is missing says which to add.
const deploymentsCard = EntityCardBlueprint.make({
  name: 'deployments',
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/DeploymentsCard').then(m => <m.DeploymentsCard />),
  },
});

const deploymentHistoryCard = EntityCardBlueprint.make({
  name: 'deployment-history',
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/DeploymentHistoryCard').then(m => (
        <m.DeploymentHistoryCard />
      )),
  },
});

const monitorsCard = EntityCardBlueprint.make({
  name: 'monitors',
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/MonitorsCard').then(m => <m.MonitorsCard />),
  },
});

const errorsCard = EntityCardBlueprint.make({
  name: 'errors',
  params: {
    filter: 'kind:component',
    loader: () => import('./components/ErrorsCard').then(m => <m.ErrorsCard />),
  },
});

const changesCard = EntityCardBlueprint.make({
  name: 'changes',
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/ChangesCard').then(m => <m.ChangesCard />),
  },
});

/** The Datadog dashboard of datadog/dashboard-url, as a tab of the component's page. */
const dashboardContent = EntityContentBlueprint.make({
  name: 'dashboard',
  params: {
    path: 'dashboard',
    title: 'Dashboard',
    filter: 'kind:component',
    loader: () =>
      import('./components/DashboardContent').then(m => <m.DashboardContent />),
  },
});

export const serviceHealthPlugin = createFrontendPlugin({
  pluginId: 'service-health',
  title: 'Service health',
  extensions: [
    serviceHealthApi,
    deploymentsCard,
    deploymentHistoryCard,
    monitorsCard,
    errorsCard,
    changesCard,
    dashboardContent,
  ],
});
