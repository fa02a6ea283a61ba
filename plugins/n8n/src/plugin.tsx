import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { RiFlowChart } from '@remixicon/react';
import { N8N_WORKFLOWS_ANNOTATION } from '@internal/plugin-n8n-common';
import { N8nClient, n8nApiRef } from './api/N8nClient';

const n8nApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: n8nApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new N8nClient(discoveryApi, fetchApi),
    }),
});

// On the overview of a service that names n8n workflows.
const workflowsCard = EntityCardBlueprint.make({
  name: 'workflows',
  params: {
    filter: entity =>
      Boolean(entity.metadata.annotations?.[N8N_WORKFLOWS_ANNOTATION]),
    loader: () =>
      import('./components/EntityWorkflowsCard').then(m => (
        <m.EntityWorkflowsCard />
      )),
  },
});

export const rootRouteRef = createRouteRef();

const workflowsPage = PageBlueprint.make({
  params: {
    path: '/workflows',
    routeRef: rootRouteRef,
    title: 'Workflows',
    icon: <RiFlowChart />,
    loader: () =>
      import('./components/WorkflowsPage').then(m => <m.WorkflowsPage />),
  },
});

/** Self-service workflows in n8n: a page of actions and runs, and a card on each service that names some. */
export const n8nPlugin = createFrontendPlugin({
  pluginId: 'n8n',
  title: 'Workflows',
  icon: <RiFlowChart />,
  extensions: [n8nApi, workflowsCard, workflowsPage],
  routes: { root: rootRouteRef },
});
