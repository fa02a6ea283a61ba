import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { RiSparkling2Line } from '@remixicon/react';
import { AiAssistantClient, aiAssistantApiRef } from './api/AiAssistantClient';
import { rootRouteRef } from './routes';

const aiAssistantApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: aiAssistantApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AiAssistantClient(discoveryApi, fetchApi),
    }),
});

const assistantPage = PageBlueprint.make({
  params: {
    path: '/assistant',
    routeRef: rootRouteRef,
    title: 'AI assistant',
    icon: <RiSparkling2Line />,
    loader: () =>
      import('./components/AssistantPage').then(m => <m.AssistantPage />),
  },
});

// On the overview of every component: "Ask about this service".
const askCard = EntityCardBlueprint.make({
  name: 'ask',
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityAssistantCard').then(m => (
        <m.EntityAssistantCard />
      )),
  },
});

/** The AI assistant: a page of chat and capabilities, and an "Ask about this service" card. */
export const aiAssistantPlugin = createFrontendPlugin({
  pluginId: 'ai-assistant',
  title: 'AI assistant',
  icon: <RiSparkling2Line />,
  extensions: [aiAssistantApi, assistantPage, askCard],
  routes: { root: rootRouteRef },
});
