import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { RiBookShelfLine } from '@remixicon/react';
import {
  FeishuMigrationClient,
  feishuMigrationApiRef,
} from './api/FeishuMigrationClient';

export const rootRouteRef = createRouteRef();

const feishuMigrationApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: feishuMigrationApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new FeishuMigrationClient(discoveryApi, fetchApi),
    }),
});

const feishuMigrationPage = PageBlueprint.make({
  params: {
    path: '/feishu-migration',
    routeRef: rootRouteRef,
    title: 'Feishu migration',
    icon: <RiBookShelfLine />,
  },
});

const wizardPage = SubPageBlueprint.make({
  name: 'new',
  params: {
    path: 'new',
    title: 'New migration',
    loader: () =>
      import('./components/MigrationWizard').then(m => <m.MigrationWizard />),
  },
});

const historyPage = SubPageBlueprint.make({
  name: 'history',
  params: {
    path: 'history',
    title: 'History',
    loader: () =>
      import('./components/HistoryPage').then(m => <m.HistoryPage />),
  },
});

/** The Feishu tab on a component's page: its migrations, and the wizard with the component chosen. */
const entityFeishuMigrationContent = EntityContentBlueprint.make({
  params: {
    path: 'feishu',
    title: 'Feishu docs',
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityFeishuMigrationContent').then(m => (
        <m.EntityFeishuMigrationContent />
      )),
  },
});

export const feishuMigrationPlugin = createFrontendPlugin({
  pluginId: 'feishu-migration',
  title: 'Feishu migration',
  icon: <RiBookShelfLine />,
  extensions: [
    feishuMigrationApi,
    feishuMigrationPage,
    wizardPage,
    historyPage,
    entityFeishuMigrationContent,
  ],
  routes: { root: rootRouteRef },
});
