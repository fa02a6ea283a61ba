import { WorkflowAction, WorkflowRun } from '@internal/plugin-n8n-common';

export const requestAccess: WorkflowAction = {
  id: 'request-access',
  title: 'Request temporary access',
  description: 'Ask for a sensitive action on one service for a few hours.',
  workflow: 'access-request',
  entityField: 'entityRef',
  requiresApproval: false,
  grantsAccess: true,
  inputSchema: {
    type: 'object',
    required: ['entityRef', 'access', 'hours', 'reason'],
    properties: {
      entityRef: { type: 'string', title: 'Service' },
      access: {
        type: 'string',
        title: 'Access',
        oneOf: [
          { const: 'cost.read', title: 'Read cost data' },
          { const: 'deployment.sync', title: 'Trigger deployment syncs' },
        ],
      },
      hours: { type: 'integer', title: 'For how many hours', default: 8 },
      reason: { type: 'string', title: 'Why you need it' },
    },
  },
};

export const rotateCredentials: WorkflowAction = {
  id: 'rotate-credentials',
  title: "Rotate a service's credentials",
  description: 'New secrets, then a rolling restart.',
  workflow: 'rotate-service-credentials',
  entityField: 'service',
  permission: 'n8n.run',
  requiresApproval: true,
  grantsAccess: false,
  inputSchema: {
    type: 'object',
    required: ['service'],
    properties: { service: { type: 'string', title: 'Service' } },
  },
};

export function run(overrides: Partial<WorkflowRun> = {}): WorkflowRun {
  return {
    id: '6f1c2e0a-0000-4000-8000-000000000001',
    kind: 'action',
    actionId: 'request-access',
    workflow: 'access-request',
    entityRef: 'component:default/usage-metering',
    requestedBy: 'user:default/rafael-ortiz',
    input: {},
    status: 'running',
    createdAt: '2026-12-04T10:00:00.000Z',
    updatedAt: '2026-12-04T10:00:01.000Z',
    ...overrides,
  };
}

/** What the client throws for a 400 with field errors. */
export function fieldsError(message: string, fields: Record<string, string>) {
  return Object.assign(new Error(message), {
    body: { error: { name: 'InputError', message, fields } },
  });
}
