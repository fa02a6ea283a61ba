import { ApprovalRequest } from '@internal/plugin-security-common';
import { SecurityApi } from '../api/SecurityClient';

export const pending: ApprovalRequest = {
  id: '3f2a9c1e-0b7d-4e8f-9a6b-5c4d3e2f1a0b',
  action: 'n8n.run',
  entityRef: 'component:default/usage-metering',
  requestedBy: 'user:default/rafael-ortiz',
  justification: 'rerun the monthly import',
  approvers: ['group:default/team-platform'],
  status: 'pending',
  createdAt: '2026-11-23T10:00:00Z',
  expiresAt: '2026-11-24T10:00:00Z',
};

export function fakeSecurityApi(
  overrides: Partial<SecurityApi> = {},
): SecurityApi {
  return {
    listGrants: async () => [],
    revokeGrant: async () => {
      throw new Error('not expected');
    },
    getMyAccess: async () => ({
      userRef: 'user:default/rafael-ortiz',
      role: 'contractor-developer',
      groups: ['group:default/contractors-northwind'],
      actions: {
        'cost.read': {
          allowed: false,
          reason: 'contractors do not see cost data',
        },
        'deployment.sync': {
          allowed: false,
          reason: 'the contractor policy does not allow triggering deployments',
        },
        'scaffolder.create': {
          allowed: false,
          reason: 'the contractor policy does not allow creating services',
        },
        'ai.use': { allowed: true },
        'n8n.run': {
          allowed: true,
          requiresApproval: true,
          approvers: ['group:default/team-platform'],
        },
        'feishu.migrate': {
          allowed: true,
          reason: 'allowed on services you own',
        },
        'audit.read': {
          allowed: false,
          reason: 'contractors cannot read the audit trail or decide approvals',
        },
        'approval.decide': {
          allowed: false,
          reason: 'contractors cannot read the audit trail or decide approvals',
        },
      },
    }),
    listApprovals: async () => ({ items: [pending] }),
    requestApproval: async () => pending,
    decideApproval: async () => ({ ...pending, status: 'approved' }),
    queryAudit: async () => ({
      items: [
        {
          id: 'a1',
          occurredAt: '2026-11-23T10:05:00Z',
          actorRef: 'user:default/erik-larsen',
          action: 'ai.use',
          outcome: 'succeeded',
          details: { prompt: 'why [REDACTED:internal-domain]' },
          plugin: 'ai-assistant',
        },
      ],
    }),
    ...overrides,
  };
}
