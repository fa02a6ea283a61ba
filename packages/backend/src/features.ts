import {
  securityCatalogRulesModule,
  securityKubernetesBoundariesModule,
  securityPermissionPolicyModule,
} from '@internal/plugin-security-backend';
import appBackend from '@backstage/plugin-app-backend';
import proxyBackend from '@backstage/plugin-proxy-backend';
import authBackend from '@backstage/plugin-auth-backend';
import authBackendModuleGuestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import authBackendModuleGithubProvider from '@backstage/plugin-auth-backend-module-github-provider';
import authBackendModuleOidcProvider from '@backstage/plugin-auth-backend-module-oidc-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogBackendModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogBackendModuleLogs from '@backstage/plugin-catalog-backend-module-logs';
import catalogBackendModuleUnprocessed from '@backstage/plugin-catalog-backend-module-unprocessed';
import catalogBackendModuleGithub from '@backstage/plugin-catalog-backend-module-github';
import catalogBackendModuleGithubOrg from '@backstage/plugin-catalog-backend-module-github-org';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderBackendModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
import scaffolderBackendModuleNotifications from '@backstage/plugin-scaffolder-backend-module-notifications';
import scaffolderBackendModuleGoldenPaths, {
  auditorServiceFactory,
} from '@internal/plugin-scaffolder-backend-module-golden-paths';
import techdocsBackend from '@backstage/plugin-techdocs-backend';
import techdocsModuleScheduledBuilds from '@internal/plugin-techdocs-backend-module-builds';
import permissionBackend from '@backstage/plugin-permission-backend';
import securityBackend from '@internal/plugin-security-backend';
import feishuMigrationBackend from '@internal/plugin-feishu-migration-backend';
import serviceHealthBackend from '@internal/plugin-service-health-backend';
import opencostBackend from '@internal/plugin-opencost-backend';
import n8nBackend, { n8nScaffolderModule } from '@internal/plugin-n8n-backend';
import aiAssistantBackend from '@internal/plugin-ai-assistant-backend';
import searchBackend from '@backstage/plugin-search-backend';
import searchModulePortal from '@internal/plugin-search-backend-module-portal';
import searchBackendModuleCatalog from '@backstage/plugin-search-backend-module-catalog';
import searchBackendModuleTechdocs from '@backstage/plugin-search-backend-module-techdocs';
import kubernetesBackend from '@backstage/plugin-kubernetes-backend';
import userSettingsBackend from '@backstage/plugin-user-settings-backend';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import signalsBackend from '@backstage/plugin-signals-backend';
import eventsBackend from '@backstage/plugin-events-backend';
import mcpActionsBackend from '@backstage/plugin-mcp-actions-backend';

/**
 * Everything the portal's backend runs, in one list: index.ts starts it, and tests that must see what
 * production installs (e.g. the permission matrix) start the same list.
 */
export const backendFeatures = [
  appBackend,
  proxyBackend,

  authBackend,
  // The guest provider refuses to run when NODE_ENV=production, so it is safe to always register it.
  authBackendModuleGuestProvider,
  authBackendModuleGithubProvider,
  authBackendModuleOidcProvider,

  catalogBackend,
  // The catalog rule the security policy needs to hide a restricted service's APIs from contractors.
  securityCatalogRulesModule,
  catalogBackendModuleScaffolderEntityModel,
  catalogBackendModuleLogs,
  catalogBackendModuleUnprocessed,
  // GitHub discovery and org providers only start when catalog.providers.github* is configured.
  catalogBackendModuleGithub,
  catalogBackendModuleGithubOrg,

  scaffolderBackend,
  scaffolderBackendModuleGithub,
  scaffolderBackendModuleNotifications,
  // golden-paths:catalog:register for the templates in templates/.
  scaffolderBackendModuleGoldenPaths,
  // Audit events as log lines, and every template run also in the security trail.
  auditorServiceFactory,

  techdocsBackend,
  // Every entity's docs built (development) or watched (production) on a schedule, for reading and search.
  techdocsModuleScheduledBuilds,

  permissionBackend,
  // Roles from catalog groups, contractor boundaries, approvals and audit: plugins/security-backend.
  securityPermissionPolicyModule,
  // Contractors' namespaces and restricted services on the Kubernetes endpoints.
  securityKubernetesBoundariesModule,
  securityBackend,
  // Feishu / Lark wiki → TechDocs migration jobs: plugins/feishu-migration-backend.
  feishuMigrationBackend,
  // The service page's deployments, monitors, errors, pull requests and builds: plugins/service-health-backend.
  serviceHealthBackend,
  opencostBackend,
  // Self-service n8n workflows, their runs, signed callbacks and access grants: plugins/n8n-backend.
  n8nBackend,
  // n8n:workflow:trigger for golden paths.
  n8nScaffolderModule,
  // Grounded, permission-aware answers with sources, generation, error analysis and review: plugins/ai-assistant-backend.
  aiAssistantBackend,

  searchBackend,
  // The search engine (PostgreSQL in production, in memory on SQLite) with recency ranking, facets,
  // suggestions and an index that follows catalog changes and new docs: plugins/search-backend-module-portal.
  searchModulePortal,
  searchBackendModuleCatalog,
  searchBackendModuleTechdocs,

  kubernetesBackend,
  userSettingsBackend,
  notificationsBackend,
  // The events hub: on PostgreSQL a bus in the database (LISTEN/NOTIFY), so an event published on one
  // replica (a migration's progress, a TechDocs build) reaches subscribers and signals on every replica.
  eventsBackend,
  signalsBackend,
  mcpActionsBackend,
];
