import type { SensitiveAction } from './permissions';

export const ROLES = [
  'admin',
  'developer',
  'viewer',
  'contractor-viewer',
  'contractor-developer',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isContractorRole(role: Role): boolean {
  return role === 'contractor-viewer' || role === 'contractor-developer';
}

/** The design's contractor policy, read from `security.contractorPolicy` in app-config. */
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

export interface AccessResult {
  allowed: boolean;
  reason?: string;
  requiresApproval?: boolean;
  approvers?: string[];
}

export type ApprovalStatus =
  | 'pending'
  | 'approved'
  | 'denied'
  | 'consumed'
  | 'expired';

export interface ApprovalRequest {
  id: string;
  action: SensitiveAction;
  entityRef: string;
  requestedBy: string;
  justification: string;
  approvers: string[];
  status: ApprovalStatus;
  decidedBy?: string;
  decisionReason?: string;
  createdAt: string;
  decidedAt?: string;
  expiresAt: string;
  consumedAt?: string;
}

export type AuditOutcome = 'succeeded' | 'denied' | 'failed';

export interface AuditRecord {
  id: string;
  occurredAt: string;
  actorRef: string;
  action: string;
  entityRef?: string;
  outcome: AuditOutcome;
  /** Already redacted by filterSensitiveContent. */
  details: Record<string, unknown>;
  plugin: string;
}

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
