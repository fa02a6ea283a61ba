import {
  securityKubernetesBoundariesModule,
  securityPermissionPolicyModule,
} from '@internal/plugin-security-backend';

/**
 * Everything the portal's backend runs, in one list: index.ts starts it, and tests that must see what
 * production installs (e.g. the permission matrix) start the same list.
 */
export const backendFeatures = [
  import('@backstage/plugin-app-backend'),
  import('@backstage/plugin-proxy-backend'),

  import('@backstage/plugin-auth-backend'),
  // The guest provider refuses to run when NODE_ENV=production, so it is safe to always register it.
  import('@backstage/plugin-auth-backend-module-guest-provider'),
  import('@backstage/plugin-auth-backend-module-github-provider'),
  import('@backstage/plugin-auth-backend-module-oidc-provider'),

  import('@backstage/plugin-catalog-backend'),
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
  import('@backstage/plugin-catalog-backend-module-logs'),
  import('@backstage/plugin-catalog-backend-module-unprocessed'),
  // GitHub discovery and org providers only start when catalog.providers.github* is configured.
  import('@backstage/plugin-catalog-backend-module-github'),
  import('@backstage/plugin-catalog-backend-module-github-org'),

  import('@backstage/plugin-scaffolder-backend'),
  import('@backstage/plugin-scaffolder-backend-module-github'),
  import('@backstage/plugin-scaffolder-backend-module-notifications'),

  import('@backstage/plugin-techdocs-backend'),

  import('@backstage/plugin-permission-backend'),
  // Roles from catalog groups, contractor boundaries, approvals and audit: plugins/security-backend.
  securityPermissionPolicyModule,
  // Contractors' namespaces and restricted services on the Kubernetes endpoints.
  securityKubernetesBoundariesModule,
  import('@internal/plugin-security-backend'),
  // Feishu / Lark wiki → TechDocs migration jobs: plugins/feishu-migration-backend.
  import('@internal/plugin-feishu-migration-backend'),

  import('@backstage/plugin-search-backend'),
  // Postgres search engine in production; falls back to the in-memory Lunr engine on SQLite.
  import('@backstage/plugin-search-backend-module-pg'),
  import('@backstage/plugin-search-backend-module-catalog'),
  import('@backstage/plugin-search-backend-module-techdocs'),

  import('@backstage/plugin-kubernetes-backend'),
  import('@backstage/plugin-user-settings-backend'),
  import('@backstage/plugin-notifications-backend'),
  import('@backstage/plugin-signals-backend'),
  import('@backstage/plugin-mcp-actions-backend'),
];
