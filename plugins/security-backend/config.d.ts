export interface Config {
  security?: {
    /** Role of signed-in users who are in no mapped group. Default viewer. */
    defaultRole?:
      | 'admin'
      | 'developer'
      | 'viewer'
      | 'contractor-viewer'
      | 'contractor-developer';
    /**
     * Catalog groups and the role their members (including members of child groups) get. Without a role,
     * the contractor policy's defaultRole applies. When a user is in several, a contractor role wins,
     * then admin, developer, viewer.
     */
    roles?: Array<{
      group: string;
      role?:
        | 'admin'
        | 'developer'
        | 'viewer'
        | 'contractor-viewer'
        | 'contractor-developer';
    }>;
    /** Roles for single users, e.g. the development guest. Never needed in production. */
    users?: Array<{
      user: string;
      role:
        | 'admin'
        | 'developer'
        | 'viewer'
        | 'contractor-viewer'
        | 'contractor-developer';
    }>;
    /**
     * Where User and Group entities that define roles may come from: glob patterns matched against their
     * `backstage.io/managed-by-location`, which the catalog sets (e.g. `url:https://github.com/orgs/quillstack/teams/*`
     * and `url:https://github.com/*` for the GitHub org provider, `file:**\/catalog/org/*.yaml` for the demo
     * catalog). Groups from anywhere else (a repository's catalog-info.yaml) give no membership. A user from
     * no trusted source gets the contractor policy's defaultRole.
     */
    trustedOrgSources?: string[];
    /** Seconds a resolved role is cached (shared by replicas). Default 60. */
    roleCacheSeconds?: number;
    /** Domains whose host names filterSensitiveContent redacts, e.g. internal.quillstack.example. */
    internalDomains?: string[];
    approvals?: {
      /** Hours an approval request or grant stays valid. Default 24. */
      ttlHours?: number;
    };
    /**
     * Time-boxed grants of sensitive actions recorded by backend plugins (an access-request workflow that
     * approved one): the policy honours them until they expire or an admin revokes them.
     */
    grants?: {
      /** Plugin ids that may record grants. Default [n8n]. */
      fromPlugins?: string[];
      /** Actions a grant may give. audit.read and approval.decide never. Default every other action. */
      grantableActions?: string[];
      /** The longest grant in hours. Default 72. */
      maxHours?: number;
    };
    audit?: {
      /** Days audit records of employees are kept, at least 1 (contractors': contractorPolicy.permissions.dataRetentionDays). Default 365. */
      retentionDays?: number;
    };
    /** What contractors may do, see and touch, and which of their actions need an approval. */
    contractorPolicy?: {
      defaultRole?: 'contractor-viewer' | 'contractor-developer';
      permissions?: {
        canCreateServices?: boolean;
        canViewCostData?: boolean;
        canTriggerDeployments?: boolean;
        canAccessProduction?: boolean;
        allowedNamespaces?: string[];
        /** Days audit records of contractors are kept, at least 1. Default 90. */
        dataRetentionDays?: number;
      };
      accessBoundaries?: {
        /** Entity refs contractors never see, e.g. component:default/payment-gateway. */
        restrictedServices?: string[];
        /** e.g. github, techdocs, ai-assistant, argocd, n8n. */
        allowedIntegrations?: string[];
        /** cost.read, deployment.sync, scaffolder.create, ai.use, n8n.run, feishu.migrate, audit.read, approval.decide */
        requiresApproval?: string[];
      };
    };
  };
}
