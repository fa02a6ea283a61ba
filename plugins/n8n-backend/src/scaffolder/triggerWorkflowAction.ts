import { setTimeout as sleep } from 'node:timers/promises';
import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  createN8nApiClient,
  isTerminal,
  WorkflowRun,
} from '@internal/plugin-n8n-common';
import { ResponseError } from '@backstage/errors';
import { responseData } from '@internal/api-client';

/** The n8n backend's answer, or its refusal as the step's error (the reason, not just the status). */
async function answer<T>(call: Promise<{ data?: T; response: Response }>) {
  try {
    return await responseData(call);
  } catch (error) {
    if (error instanceof ResponseError) {
      throw new Error(`n8n refused: ${error.body.error.message}`);
    }
    throw error;
  }
}

const POLL_MS = 2_000;

/**
 * `n8n:workflow:trigger`: starts a self-service action as the person running the template (their rights,
 * their approvals, their audit trail; the n8n backend decides), and optionally waits for its result.
 */
export function createTriggerWorkflowAction(options: {
  auth: AuthService;
  discovery: DiscoveryService;
}) {
  return createTemplateAction({
    id: 'n8n:workflow:trigger',
    description:
      'Starts a self-service n8n action (n8n.actions in app-config) with the given input, as the person running the template; optionally waits until it ends.',
    schema: {
      input: {
        action: z =>
          z
            .string()
            .min(1)
            .max(100)
            .describe('The action id, e.g. rotate-credentials'),
        input: z =>
          z
            .record(z.unknown())
            .default({})
            .describe("The action's input, valid against its JSON Schema"),
        wait: z =>
          z.boolean().default(false).describe('Wait for the run to end'),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(5)
            .max(1800)
            .default(300)
            .describe('How long to wait'),
      },
      output: {
        runId: z => z.string(),
        status: z => z.string(),
        result: z => z.record(z.unknown()).optional(),
      },
    },
    async handler(ctx) {
      const { token } = await options.auth.getPluginRequestToken({
        onBehalfOf: await ctx.getInitiatorCredentials(),
        targetPluginId: 'n8n',
      });
      const client = createN8nApiClient(
        await options.discovery.getBaseUrl('n8n'),
        (url, init) => {
          const headers = new Headers(init.headers);
          headers.set('authorization', `Bearer ${token}`);
          return fetch(url, { ...init, headers });
        },
      );
      let run: WorkflowRun = await answer(
        client.POST('/actions/{actionId}/runs', {
          params: { path: { actionId: ctx.input.action } },
          body: { input: ctx.input.input ?? {} },
        }),
      );
      ctx.logger.info(
        `Started ${ctx.input.action}: run ${run.id} (${run.status})`,
      );
      const deadline = Date.now() + (ctx.input.timeoutSeconds ?? 300) * 1000;
      while (ctx.input.wait && !isTerminal(run.status)) {
        if (Date.now() > deadline || ctx.signal?.aborted) {
          throw new Error(
            `Run ${run.id} of ${ctx.input.action} did not end within ${ctx.input.timeoutSeconds} seconds (last status ${run.status})`,
          );
        }
        await sleep(POLL_MS);
        run = await answer(
          client.GET('/runs/{runId}', { params: { path: { runId: run.id } } }),
        );
      }
      ctx.output('runId', run.id);
      ctx.output('status', run.status);
      if (run.result) ctx.output('result', run.result);
      if (ctx.input.wait && run.status !== 'success') {
        throw new Error(
          `Run ${run.id} of ${ctx.input.action} ended ${run.status}: ${
            run.error ?? 'no reason given'
          }`,
        );
      }
    },
  });
}
