import type { SensitiveAction } from './permissions';
import type { components } from './schema/openapi.generated';

type Schemas = components['schemas'];

export const ROLES = [
  'admin',
  'developer',
  'viewer',
  'contractor-viewer',
  'contractor-developer',
] as const;

export type Role = (typeof ROLES)[number];

// The API's enums are the same lists: a change to one without the other fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const rolesMatchTheApi: Same<Role, Schemas['Role']> = true;
const actionsMatchTheApi: Same<SensitiveAction, Schemas['SensitiveAction']> =
  true;
void rolesMatchTheApi;
void actionsMatchTheApi;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isContractorRole(role: Role): boolean {
  return role === 'contractor-viewer' || role === 'contractor-developer';
}

/** The contractor policy, read from `security.contractorPolicy` in app-config. */
export interface ContractorRBACPolicy {
  defaultRole: 'contractor-viewer' | 'contractor-developer';
  permissions: {
    canCreateServices: boolean;
    canViewCostData: boolean;
    canTriggerDeployments: boolean;
    canAccessProduction: boolean;
    /** Kubernetes namespaces contractors may see. */
    allowedNamespaces: string[];
    /** How long audit records of contractors' actions are kept. */
    dataRetentionDays: number;
  };
  accessBoundaries: {
    /** Entity refs contractors never see, e.g. component:default/payment-gateway. */
    restrictedServices: string[];
    /** Integrations contractors may use, e.g. github, techdocs, argocd. */
    allowedIntegrations: string[];
    /** Sensitive actions that need an approval before a contractor may perform them. */
    requiresApproval: SensitiveAction[];
  };
}

export type AccessResult = Schemas['AccessResult'];
export type ApprovalStatus = Schemas['ApprovalStatus'];
export type ApprovalRequest = Schemas['ApprovalRequest'];
export type ApprovalPage = Schemas['ApprovalPage'];
export type AuditOutcome = Schemas['AuditOutcome'];
export type AuditRecord = Schemas['AuditRecord'];
export type AuditPage = Schemas['AuditPage'];
export type UserAccess = Schemas['UserAccess'];
export type AccessGrant = Schemas['AccessGrant'];

export type SecretKind =
  | 'aws-access-key'
  | 'aws-secret-key'
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'private-key'
  | 'jwt'
  | 'url-password'
  | 'connection-string'
  | 'high-entropy'
  | 'internal-domain'
  | 'other-secret';

export interface RedactionFinding {
  kind: SecretKind;
  /** Offset of the redacted span in the original text. */
  offset: number;
  length: number;
}

export interface RedactionResult {
  text: string;
  findings: RedactionFinding[];
}
