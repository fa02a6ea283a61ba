import { createHmac } from 'node:crypto';
import express from 'express';
import { DemoCatalog } from '../demoCatalog';
import type { EmulatorOptions } from '../sandbox';
import { SANDBOX_CREDENTIALS } from '../credentials';
import { daysBefore, sandboxToday, seededHex, seededInt } from '../seeded';

interface WorkflowSummary {
  name: string;
  owner: string;
  components: string[];
}

/** The platform team's self-service workflows that app-config's n8n.actions run. */
const SELF_SERVICE_WORKFLOWS: WorkflowSummary[] = [
  { name: 'access-request', owner: 'team-platform', components: [] },
  { name: 'onboard-team-member', owner: 'team-platform', components: [] },
  {
    name: 'rotate-service-credentials',
    owner: 'team-platform',
    components: [],
  },
];

function workflowsFromCatalog(catalog: DemoCatalog): WorkflowSummary[] {
  const byName = new Map<string, WorkflowSummary>();
  for (const component of catalog.components) {
    const names = (component.annotations['n8n/workflows'] ?? '')
      .split(',')
      .map(name => name.trim())
      .filter(Boolean);
    for (const name of names) {
      const existing = byName.get(name);
      if (existing) {
        existing.components.push(component.name);
      } else {
        byName.set(name, {
          name,
          owner: component.owner,
          components: [component.name],
        });
      }
    }
  }
  return [...byName.values(), ...SELF_SERVICE_WORKFLOWS].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
}

interface TriggerBody {
  runId?: string;
  entityRef?: string;
  requestedBy?: string;
  input?: Record<string, any>;
  callbackUrl?: string;
}

interface Outcome {
  status: 'success' | 'failed';
  result?: Record<string, unknown>;
  error?: string;
  grant?: { hours: number };
}

/** What each workflow does with its input, deterministically: successes and the failures people meet. */
function outcomeOf(workflow: string, body: TriggerBody): Outcome {
  const input = body.input ?? {};
  const entityName =
    String(body.entityRef ?? input.entityRef ?? '')
      .split('/')
      .pop() ?? '';
  switch (workflow) {
    case 'access-request': {
      const reason = String(input.reason ?? '').trim();
      if (reason.length < 15) {
        return {
          status: 'failed',
          error: `Denied by group:default/team-platform: "${reason}" does not say why the access is needed`,
        };
      }
      const hours = Math.min(Number(input.hours) || 8, 72);
      return {
        status: 'success',
        result: {
          message: `Approved by group:default/team-platform: ${input.access} on ${body.entityRef} for ${hours} hours`,
          approver: 'user:default/alice-nguyen',
        },
        grant: { hours },
      };
    }
    case 'onboard-team-member': {
      const login = String(input.githubUsername ?? '');
      if (/^ghost/i.test(login)) {
        return {
          status: 'failed',
          error: `GitHub has no user ${login}: check the username and run it again`,
        };
      }
      return {
        status: 'success',
        result: {
          message: `${input.fullName} was invited to the quillstack GitHub organisation (${login}), Slack and ${body.entityRef}'s on-call rota`,
        },
      };
    }
    case 'rotate-service-credentials':
      if (entityName.startsWith('legacy')) {
        return {
          status: 'failed',
          error: `${entityName} reads its credentials from a file baked into its image; rotate them by hand`,
        };
      }
      return {
        status: 'success',
        result: {
          message: `Rotated ${entityName}'s database password and API keys in AWS Secrets Manager; its pods were restarted`,
          rotated: [`${entityName}/database`, `${entityName}/api-keys`],
        },
      };
    default:
      return {
        status: 'success',
        result: {
          message: `${workflow} finished for ${entityName || 'the portal'}`,
        },
      };
  }
}

interface Execution {
  id: number;
  workflowId: string;
  mode: 'webhook';
  status: 'running' | 'success' | 'error';
  finished: boolean;
  startedAt: string;
  stoppedAt: string | null;
  data: unknown;
}

/**
 * n8n: the public API v1 subset the portal reads (workflows with tags and cursor pagination, a workflow,
 * executions by workflow and by id) and production webhooks that run "workflows" with realistic delays,
 * successes and failures, and report to the portal's callback signed with the shared secret.
 */
export function n8nEmulator(
  catalog: DemoCatalog,
  options: Pick<EmulatorOptions, 'n8nRunMs'> = {},
) {
  const app = express();
  const today = sandboxToday();
  const workflows = workflowsFromCatalog(catalog).map(w => {
    const id = seededHex(16, 'n8n', w.name);
    return {
      id,
      name: w.name,
      active: true,
      isArchived: false,
      createdAt: daysBefore(today, seededInt(60, 500, w.name)).toISOString(),
      updatedAt: daysBefore(today, seededInt(1, 50, w.name, 'u')).toISOString(),
      nodes: [
        {
          id: seededHex(8, id, 'trigger'),
          name: 'Webhook',
          type: 'n8n-nodes-base.webhook',
          typeVersion: 2,
          position: [0, 0],
          parameters: {
            httpMethod: 'POST',
            path: w.name,
            responseMode: 'responseNode',
          },
          webhookId: seededHex(32, id, 'webhook'),
        },
        {
          id: seededHex(8, id, 'respond'),
          name: 'Respond to Webhook',
          type: 'n8n-nodes-base.respondToWebhook',
          typeVersion: 1.1,
          position: [220, 0],
          parameters: {
            respondWith: 'json',
            responseBody: '={{ { "executionId": $execution.id } }}',
          },
        },
        {
          id: seededHex(8, id, 'slack'),
          name: 'Notify Slack',
          type: 'n8n-nodes-base.slack',
          typeVersion: 2.3,
          position: [440, 0],
          parameters: { channel: `#${w.owner}` },
        },
      ],
      connections: {
        Webhook: {
          main: [[{ node: 'Respond to Webhook', type: 'main', index: 0 }]],
        },
        'Respond to Webhook': {
          main: [[{ node: 'Notify Slack', type: 'main', index: 0 }]],
        },
      },
      settings: { executionOrder: 'v1' },
      staticData: null,
      tags: [
        { id: seededHex(8, 'tag', 'backstage'), name: 'backstage' },
        { id: seededHex(8, 'tag', w.owner), name: w.owner },
        ...w.components.map(c => ({ id: seededHex(8, 'tag', c), name: c })),
      ],
    };
  });
  const executions: Execution[] = [];

  async function finish(
    execution: Execution,
    workflow: string,
    body: TriggerBody,
  ) {
    const outcome = outcomeOf(workflow, body);
    execution.status = outcome.status === 'success' ? 'success' : 'error';
    execution.finished = outcome.status === 'success';
    execution.stoppedAt = new Date().toISOString();
    if (!body.callbackUrl || !body.runId) return;
    const payload = JSON.stringify({
      runId: body.runId,
      executionId: String(execution.id),
      ...outcome,
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `sha256=${createHmac(
      'sha256',
      SANDBOX_CREDENTIALS.n8nCallbackSecret,
    )
      .update(`${timestamp}.${payload}`)
      .digest('hex')}`;
    // An HTTP Request node with retries: the portal may be restarting.
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const response = await fetch(body.callbackUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-portal-timestamp': timestamp,
            'x-portal-signature': signature,
          },
          body: payload,
        });
        if (response.status < 500) return;
      } catch {
        // Connection refused while the portal restarts: try again.
      }
      await new Promise(resolve => setTimeout(resolve, 2000 * (attempt + 1)));
    }
  }

  // Production webhooks take no API key, like n8n's.
  app.post('/webhook/:path', express.json({ limit: '1mb' }), (req, res) => {
    const workflow = workflows.find(
      w => w.nodes[0].parameters.path === req.params.path,
    );
    if (!workflow || !workflow.active) {
      res.status(404).json({
        code: 404,
        message: `The requested webhook "POST ${req.params.path}" is not registered.`,
      });
      return;
    }
    const body = (req.body ?? {}) as TriggerBody;
    const execution: Execution = {
      id: executions.length + 1001,
      workflowId: workflow.id,
      mode: 'webhook',
      status: 'running',
      finished: false,
      startedAt: new Date().toISOString(),
      stoppedAt: null,
      data: {
        resultData: {
          runData: { Webhook: [{ data: { main: [[{ json: { body } }]] } }] },
        },
      },
    };
    executions.push(execution);
    const runMs =
      options.n8nRunMs ?? seededInt(1500, 3500, body.runId ?? execution.id);
    setTimeout(() => void finish(execution, workflow.name, body), runMs);
    res.json({ executionId: String(execution.id) });
  });

  app.use((req, res, next) => {
    const key = req.header('x-n8n-api-key');
    if (key === undefined) {
      res.status(401).json({ message: "'X-N8N-API-KEY' header required" });
      return;
    }
    if (key !== SANDBOX_CREDENTIALS.n8nApiKey) {
      res.status(401).json({ message: 'unauthorized' });
      return;
    }
    next();
  });

  function page<T>(
    req: express.Request,
    res: express.Response,
    items: T[],
    fallback = 100,
  ) {
    const limit = Number(req.query.limit ?? fallback);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250) {
      res.status(400).json({
        message: 'request/query/limit must be an integer between 1 and 250',
      });
      return;
    }
    const offset = req.query.cursor
      ? Number(Buffer.from(String(req.query.cursor), 'base64url').toString())
      : 0;
    const nextOffset = offset + limit;
    res.json({
      data: items.slice(offset, nextOffset),
      nextCursor:
        nextOffset < items.length
          ? Buffer.from(String(nextOffset)).toString('base64url')
          : null,
    });
  }

  app.get('/api/v1/workflows', (req, res) => {
    const tags = req.query.tags
      ? String(req.query.tags).split(',').filter(Boolean)
      : [];
    const matching = workflows.filter(
      w =>
        (req.query.active === undefined ||
          String(w.active) === String(req.query.active)) &&
        tags.every(tag => w.tags.some(t => t.name === tag)),
    );
    page(req, res, matching);
  });

  app.get('/api/v1/workflows/:id', (req, res) => {
    const workflow = workflows.find(w => w.id === req.params.id);
    if (!workflow) {
      res.status(404).json({ message: 'Not Found' });
      return;
    }
    res.json(workflow);
  });

  const shown = (execution: Execution, includeData: boolean) => {
    const { data, ...rest } = execution;
    return includeData ? execution : rest;
  };

  app.get('/api/v1/executions', (req, res) => {
    const includeData = String(req.query.includeData) === 'true';
    const matching = executions
      .filter(
        e =>
          (!req.query.workflowId || e.workflowId === req.query.workflowId) &&
          (!req.query.status || e.status === req.query.status),
      )
      .reverse()
      .map(e => shown(e, includeData));
    page(req, res, matching, 20);
  });

  app.get('/api/v1/executions/:id', (req, res) => {
    const execution = executions.find(e => String(e.id) === req.params.id);
    if (!execution) {
      res.status(404).json({ message: 'Not Found' });
      return;
    }
    res.json(shown(execution, String(req.query.includeData) === 'true'));
  });
  return app;
}
