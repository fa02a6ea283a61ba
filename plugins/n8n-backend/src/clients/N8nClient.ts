import { upstreamJson } from '@internal/upstream-fetch';

/** A workflow as n8n's public API returns it (the fields the portal reads). */
export interface N8nWorkflow {
  id: string;
  name: string;
  active: boolean;
  isArchived?: boolean;
  nodes: Array<{
    name: string;
    type: string;
    disabled?: boolean;
    parameters?: Record<string, unknown>;
    webhookId?: string;
  }>;
  tags?: Array<{ id: string; name: string }>;
}

export interface N8nExecution {
  id: string | number;
  workflowId: string;
  status: string;
  finished: boolean;
  mode?: string;
  startedAt?: string;
  stoppedAt?: string | null;
  data?: unknown;
}

interface Page<T> {
  data: T[];
  nextCursor?: string | null;
}

export interface N8nClientOptions {
  /** n8n's base URL, e.g. https://n8n.quillstack.example. */
  baseUrl: string;
  apiKey: string;
  /** Where n8n serves production webhooks (its WEBHOOK_URL); default the base URL. */
  webhookBaseUrl?: string;
  timeoutMs?: number;
}

const WEBHOOK_NODE = 'n8n-nodes-base.webhook';
/** At most this many pages of workflows are read (250 each): a runaway cursor never loops forever. */
const MAX_PAGES = 40;

/** The production webhook URL of a workflow's first enabled Webhook trigger, or undefined without one. */
export function productionWebhookOf(
  workflow: N8nWorkflow,
  webhookBaseUrl: string,
): { url: string; method: string } | undefined {
  const trigger = workflow.nodes.find(
    node => node.type === WEBHOOK_NODE && !node.disabled,
  );
  if (!trigger) return undefined;
  const path = String(trigger.parameters?.path ?? trigger.webhookId ?? '')
    .trim()
    .replace(/^\/+/, '');
  if (!path) return undefined;
  const method = String(trigger.parameters?.httpMethod ?? 'GET').toUpperCase();
  return {
    url: new URL(
      `webhook/${path.split('/').map(encodeURIComponent).join('/')}`,
      webhookBaseUrl.replace(/\/?$/, '/'),
    ).toString(),
    method,
  };
}

/** n8n's public REST API (X-N8N-API-KEY) and its production webhooks, with the portal's timeouts. */
export class N8nClient {
  private readonly apiBase: string;
  private readonly webhookBase: string;

  constructor(private readonly options: N8nClientOptions) {
    this.apiBase = `${options.baseUrl.replace(/\/+$/, '')}/api/v1/`;
    this.webhookBase = options.webhookBaseUrl ?? options.baseUrl;
  }

  private get<T>(path: string, query: Record<string, string> = {}) {
    const url = new URL(path, this.apiBase);
    for (const [key, value] of Object.entries(query)) {
      url.searchParams.set(key, value);
    }
    return upstreamJson<T>({
      upstream: 'n8n',
      url: url.toString(),
      init: {
        headers: {
          'x-n8n-api-key': this.options.apiKey,
          accept: 'application/json',
        },
      },
      timeoutMs: this.options.timeoutMs,
    });
  }

  /** Every workflow (with these tags, when given), following the cursor. */
  async listWorkflows(tags: string[] = []): Promise<N8nWorkflow[]> {
    const workflows: N8nWorkflow[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query: Record<string, string> = { limit: '250' };
      if (tags.length > 0) query.tags = tags.join(',');
      if (cursor) query.cursor = cursor;
      const result = await this.get<Page<N8nWorkflow>>('workflows', query);
      workflows.push(...result.data);
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    return workflows;
  }

  getWorkflow(id: string): Promise<N8nWorkflow> {
    return this.get<N8nWorkflow>(`workflows/${encodeURIComponent(id)}`);
  }

  getExecution(
    id: string,
    options: { includeData?: boolean } = {},
  ): Promise<N8nExecution> {
    return this.get<N8nExecution>(
      `executions/${encodeURIComponent(id)}`,
      options.includeData ? { includeData: 'true' } : {},
    );
  }

  /** The workflow's latest executions, newest first, with their data when asked (to find a run's). */
  async listExecutions(
    workflowId: string,
    options: { limit?: number; includeData?: boolean } = {},
  ): Promise<N8nExecution[]> {
    const result = await this.get<Page<N8nExecution>>('executions', {
      workflowId,
      limit: String(options.limit ?? 20),
      includeData: String(options.includeData ?? false),
    });
    return result.data;
  }

  /**
   * Starts the workflow through its production webhook. Never retried: a webhook call is not idempotent, and
   * a second attempt could run the workflow twice. Returns what the webhook answered (a workflow that
   * answers through a Respond to Webhook node can report `{ executionId }` at once).
   */
  async trigger(
    workflow: N8nWorkflow,
    body: Record<string, unknown>,
  ): Promise<{ executionId?: string }> {
    const webhook = productionWebhookOf(workflow, this.webhookBase);
    if (!webhook) {
      throw new Error(`workflow ${workflow.name} has no Webhook trigger`);
    }
    const answer = await upstreamJson<unknown>({
      upstream: 'n8n',
      url: webhook.url,
      init: {
        method: webhook.method,
        headers: { 'content-type': 'application/json' },
        body: webhook.method === 'GET' ? undefined : JSON.stringify(body),
      },
      timeoutMs: this.options.timeoutMs,
      attempts: 1,
    });
    const executionId =
      answer && typeof answer === 'object'
        ? (answer as { executionId?: unknown }).executionId
        : undefined;
    return executionId === undefined || executionId === null
      ? {}
      : { executionId: String(executionId) };
  }
}
