import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import { RiShieldUserLine } from '@remixicon/react';
import { SecurityClient, securityApiRef } from './api/SecurityClient';

export const rootRouteRef = createRouteRef();

const securityApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: securityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SecurityClient(discoveryApi, fetchApi),
    }),
});

const securityPage = PageBlueprint.make({
  params: {
    path: '/security',
    routeRef: rootRouteRef,
    title: 'Access & approvals',
    icon: <RiShieldUserLine />,
  },
});

const myAccessPage = SubPageBlueprint.make({
  name: 'access',
  params: {
    path: 'access',
    title: 'My access',
    loader: () =>
      import('./components/MyAccessPage/MyAccessPage').then(m => (
        <m.MyAccessPage />
      )),
  },
});

const approvalsPage = SubPageBlueprint.make({
  name: 'approvals',
  params: {
    path: 'approvals',
    title: 'Approvals',
    loader: () =>
      import('./components/ApprovalsPage/ApprovalsPage').then(m => (
        <m.ApprovalsPage />
      )),
  },
});

const auditLogPage = SubPageBlueprint.make({
  name: 'audit',
  params: {
    path: 'audit',
    title: 'Audit log',
    loader: () =>
      import('./components/AuditLogPage/AuditLogPage').then(m => (
        <m.AuditLogPage />
      )),
  },
});

export const securityPlugin = createFrontendPlugin({
  pluginId: 'security',
  title: 'Access & approvals',
  icon: <RiShieldUserLine />,
  extensions: [
    securityApi,
    securityPage,
    myAccessPage,
    approvalsPage,
    auditLogPage,
  ],
  routes: { root: rootRouteRef },
});
