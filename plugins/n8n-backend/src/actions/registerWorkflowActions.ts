import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import { Caller, RunService } from '../service/RunService';

const READ_ONLY = { readOnly: true, idempotent: true, destructive: false };

/**
 * What an agent may do with self-service workflows for the person it acts for, through the same service as
 * the routes. Starting a run changes something, so the agent only proposes one: every check is made, and
 * the person confirms it with the prefilled form the answer links to.
 */
export function registerWorkflowActions(
  actionsRegistry: ActionsRegistryService,
  auth: AuthService,
  runs: RunService,
) {
  const callerOf = (credentials: BackstageCredentials): Caller => {
    if (!auth.isPrincipal(credentials, 'user')) {
      throw new NotAllowedError(
        'n8n workflow actions act for a signed-in user',
      );
    }
    return { credentials, userRef: credentials.principal.userEntityRef };
  };
  const runShape = (z: any) =>
    z.object({
      id: z.string(),
      kind: z.string(),
      actionId: z.string().optional(),
      workflow: z.string(),
      entityRef: z.string().optional(),
      status: z.string(),
      error: z.string().optional(),
      result: z.record(z.unknown()).optional(),
      createdAt: z.string(),
      finishedAt: z.string().optional(),
    });
  const runOutput = (run: any) => ({
    id: run.id,
    kind: run.kind,
    actionId: run.actionId,
    workflow: run.workflow,
    entityRef: run.entityRef,
    status: run.status,
    error: run.error,
    result: run.result,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
  });

  actionsRegistry.register({
    name: 'list-workflow-actions',
    title: 'List self-service workflows',
    description:
      'The self-service actions the portal runs in n8n (request access, onboard a team member, rotate credentials, ...), each with the JSON Schema of its input and whether it needs an approval.',
    attributes: READ_ONLY,
    schema: {
      input: z => z.object({}),
      output: z =>
        z.object({
          actions: z.array(
            z.object({
              id: z.string(),
              title: z.string(),
              description: z.string(),
              inputSchema: z.record(z.unknown()),
              requiresApproval: z.boolean(),
            }),
          ),
        }),
    },
    action: async ({ credentials }) => {
      callerOf(credentials);
      return {
        output: {
          actions: runs.listActions().map(a => ({
            id: a.id,
            title: a.title,
            description: a.description,
            inputSchema: a.inputSchema,
            requiresApproval: a.requiresApproval,
          })),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-my-workflow-runs',
    title: 'List my workflow runs',
    description:
      "The caller's workflow runs, newest first, with status (pending, running, success, failed, canceled), result and error.",
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z.object({ limit: z.number().int().min(1).max(100).default(20) }),
      output: z => z.object({ runs: z.array(runShape(z)) }),
    },
    action: async ({ input, credentials }) => {
      const runsFound = await runs.listRuns(callerOf(credentials), {
        all: false,
        limit: input.limit,
      });
      return { output: { runs: runsFound.map(runOutput) } };
    },
  });

  actionsRegistry.register({
    name: 'propose-workflow-run',
    title: 'Propose a self-service workflow run',
    description:
      'Checks that the caller may start a self-service action with this input (input schema, the entity, permissions, approvals) and returns a link to the prefilled form where the person confirms it. Nothing runs until they do.',
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z.object({
          actionId: z.string().min(1).max(100),
          input: z.record(z.unknown()),
        }),
      output: z =>
        z.object({
          confirmUrl: z.string(),
          entityRef: z.string().optional(),
          requiresApproval: z.boolean(),
        }),
    },
    action: async ({ input, credentials }) => {
      const checked = await runs.checkAction(
        callerOf(credentials),
        input.actionId,
        input.input,
      );
      const query = new URLSearchParams({
        action: input.actionId,
        input: JSON.stringify(input.input),
      });
      return {
        output: { confirmUrl: `/workflows?${query}`, ...checked },
      };
    },
  });
}
