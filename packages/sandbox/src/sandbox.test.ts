import { RunningSandbox, startSandbox, UPSTREAMS } from './sandbox';
import { SANDBOX_CREDENTIALS } from './credentials';

const FREE_PORTS = Object.fromEntries(UPSTREAMS.map(u => [u, 0]));

function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('sandbox of upstream emulators', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ ports: FREE_PORTS, n8nRunMs: 500 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('serves every upstream on its own loopback port', () => {
    const ports = new Set(
      Object.values(sandbox.urls).map(url => new URL(url).port),
    );
    expect(ports.size).toBe(UPSTREAMS.length);
    for (const url of Object.values(sandbox.urls)) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  it('GitHub: returns the repository of every component, and 404 without a token', async () => {
    for (const component of sandbox.catalog.components) {
      const slug = component.annotations['github.com/project-slug'];
      const res = await fetch(`${sandbox.urls.github}/repos/${slug}`, {
        headers: { authorization: `token ${SANDBOX_CREDENTIALS.githubToken}` },
      });
      expect(res.status).toBe(200);
      const repo = await res.json();
      expect(repo).toMatchObject({
        full_name: slug,
        default_branch: 'main',
        private: true,
        description: component.description,
      });
    }
    const anonymous = await fetch(
      `${sandbox.urls.github}/repos/quillstack/invoice-service`,
    );
    expect(anonymous.status).toBe(404);
    const wrongToken = await fetch(
      `${sandbox.urls.github}/repos/quillstack/invoice-service`,
      {
        headers: { authorization: 'token nope' },
      },
    );
    expect(wrongToken.status).toBe(401);
    expect((await wrongToken.json()).message).toBe('Bad credentials');
  });

  it('Argo CD: has a production application for every argocd/app-selector or argocd/app-name annotation', async () => {
    const annotated = sandbox.catalog.components.filter(
      c =>
        c.annotations['argocd/app-name'] ||
        c.annotations['argocd/app-selector'],
    );
    expect(annotated.length).toBeGreaterThanOrEqual(12);
    const healths = new Set<string>();
    for (const component of annotated) {
      const name =
        component.annotations['argocd/app-name'] ?? `${component.name}-prod`;
      const res = await fetch(
        `${sandbox.urls.argocd}/api/v1/applications/${name}`,
        {
          headers: {
            authorization: `Bearer ${SANDBOX_CREDENTIALS.argocdToken}`,
          },
        },
      );
      expect(res.status).toBe(200);
      const app = await res.json();
      expect(app.metadata.name).toBe(name);
      expect(app.status.sync.status).toMatch(/^(Synced|OutOfSync)$/);
      expect(app.status.history.length).toBeGreaterThan(0);
      healths.add(app.status.health.status);
    }
    expect([...healths].sort()).toEqual(['Degraded', 'Healthy', 'Progressing']);

    const auth = {
      authorization: `Bearer ${SANDBOX_CREDENTIALS.argocdToken}`,
    };
    const bySelector = async (selector: string) =>
      (
        await (
          await fetch(
            `${
              sandbox.urls.argocd
            }/api/v1/applications?selector=${encodeURIComponent(selector)}`,
            { headers: auth },
          )
        ).json()
      ).items;
    const fraud = await bySelector('backstage-name=fraud-screening');
    expect(
      fraud.map((a: any) => [
        a.metadata.labels.environment,
        a.status.sync.status,
        a.status.operationState.phase,
      ]),
    ).toEqual([
      ['development', 'Synced', 'Succeeded'],
      ['staging', 'OutOfSync', 'Failed'],
      ['production', 'Synced', 'Running'],
    ]);
    expect(
      await bySelector('backstage-name=fraud-screening,environment=staging'),
    ).toHaveLength(1);

    const sync = await fetch(
      `${sandbox.urls.argocd}/api/v1/applications/invoice-service-dev/sync`,
      {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{}',
      },
    );
    expect((await sync.json()).status.operationState.phase).toBe('Running');
    const missing = await fetch(
      `${sandbox.urls.argocd}/api/v1/applications/nope`,
      {
        headers: { authorization: `Bearer ${SANDBOX_CREDENTIALS.argocdToken}` },
      },
    );
    expect(missing.status).toBe(404);
    expect((await missing.json()).message).toContain('"nope" not found');
    const anonymous = await fetch(
      `${sandbox.urls.argocd}/api/v1/applications/nope`,
    );
    expect(anonymous.status).toBe(401);
  });

  it('OpenCost: one allocation per opencost/service-label per day, with consistent totals', async () => {
    const res = await fetch(
      `${sandbox.urls.opencost}/allocation/compute?window=7d&aggregate=label:app&step=1d`,
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.code).toBe(200);
    expect(body.data).toHaveLength(7);
    const labels = sandbox.catalog.components
      .map(c => c.annotations['opencost/service-label'])
      .filter(Boolean)
      .sort();
    for (const day of body.data) {
      expect(Object.keys(day).sort()).toEqual(labels);
      for (const allocation of Object.values<any>(day)) {
        const parts =
          allocation.cpuCost +
          allocation.ramCost +
          allocation.pvCost +
          allocation.networkCost;
        expect(allocation.totalCost).toBeCloseTo(parts, 3);
        expect(allocation.totalCost).toBeGreaterThan(0);
      }
    }
    const again = await (
      await fetch(
        `${sandbox.urls.opencost}/allocation/compute?window=7d&aggregate=label:app&step=1d`,
      )
    ).json();
    expect(again).toEqual(body);
    const accumulated = await (
      await fetch(
        `${sandbox.urls.opencost}/allocation/compute?window=7d&accumulate=true`,
      )
    ).json();
    expect(accumulated.data).toHaveLength(1);
  });

  it('OpenCost: namespaces sum their services; weekends are quieter, usage-metering spikes, reporting-service is over-provisioned', async () => {
    const read = async (aggregate: string) =>
      (
        await (
          await fetch(
            `${sandbox.urls.opencost}/allocation/compute?window=28d&aggregate=${aggregate}&step=1d`,
          )
        ).json()
      ).data as Array<Record<string, any>>;
    const byLabel = await read('label:app');
    const byNamespace = await read('namespace');
    const systems = new Map(
      sandbox.catalog.components.map(c => [
        c.annotations['opencost/service-label'],
        c.system,
      ]),
    );
    for (const [i, day] of byNamespace.entries()) {
      for (const [namespace, allocation] of Object.entries(day)) {
        const services = Object.values(byLabel[i]).filter(
          a => systems.get(a.name) === namespace,
        );
        expect(allocation.totalCost).toBeCloseTo(
          services.reduce((sum, a) => sum + a.totalCost, 0),
          6,
        );
      }
    }
    const total = (day: Record<string, any>) =>
      Object.values(day).reduce((sum, a) => sum + a.totalCost, 0);
    const weekend = byLabel.filter(day =>
      [0, 6].includes(new Date(Object.values(day)[0].start).getUTCDay()),
    );
    const weekdays = byLabel.filter(day => !weekend.includes(day));
    const average = (days: Array<Record<string, any>>) =>
      days.reduce((sum, day) => sum + total(day), 0) / days.length;
    expect(average(weekend)).toBeLessThan(0.85 * average(weekdays));
    // The window ends with today, so far (just after midnight UTC almost nothing); the spike is in the
    // last three full days before it.
    const metering = byLabel.map(day => day['usage-metering'].totalCost);
    expect(Math.min(...metering.slice(-4, -1))).toBeGreaterThan(
      1.8 * Math.max(...metering.slice(0, -4)),
    );
    const reporting = byLabel[0]['reporting-service'];
    expect(
      reporting.cpuCoreUsageAverage / reporting.cpuCoreRequestAverage,
    ).toBeLessThan(0.1);
  });

  it('AWS Cost Explorer: GetCostAndUsage by tag for signed requests only, with readable errors', async () => {
    const call = (body: unknown, authorization?: string) =>
      fetch(sandbox.urls.awsCostExplorer, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSInsightsIndexService.GetCostAndUsage',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify(body),
      });
    const signed = `AWS4-HMAC-SHA256 Credential=${SANDBOX_CREDENTIALS.awsAccessKeyId}/20261203/us-east-1/ce/aws4_request`;
    const query = {
      TimePeriod: { Start: '2026-01-01', End: '2026-01-04' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'TAG', Key: 'app' }],
    };
    expect((await call(query)).status).toBe(403);
    const res = await call(query, signed);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.ResultsByTime).toHaveLength(3);
    expect(body.ResultsByTime[0].Groups[0].Keys[0]).toMatch(/^app\$[a-z-]+$/);
    const bad = await call(
      { ...query, TimePeriod: { Start: 'yesterday', End: '2026-01-04' } },
      signed,
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      __type: 'ValidationException',
      message: 'TimePeriod.Start must be a date in the form YYYY-MM-DD',
    });
  });

  it('OpenCost: rejects a malformed window or aggregate with a readable 400', async () => {
    const badWindow = await fetch(
      `${sandbox.urls.opencost}/allocation/compute?window=lastweek`,
    );
    expect(badWindow.status).toBe(400);
    expect((await badWindow.json()).message).toContain(
      "invalid window 'lastweek'",
    );
    const badAggregate = await fetch(
      `${sandbox.urls.opencost}/allocation/compute?window=7d&aggregate=pod`,
    );
    expect(badAggregate.status).toBe(400);
  });

  it('n8n: lists every workflow named in n8n/workflows annotations and the self-service ones, paged with a cursor', async () => {
    const headers = { 'x-n8n-api-key': SANDBOX_CREDENTIALS.n8nApiKey };
    const expected = new Set([
      ...sandbox.catalog.components.flatMap(c =>
        (c.annotations['n8n/workflows'] ?? '').split(',').filter(Boolean),
      ),
      'access-request',
      'onboard-team-member',
      'rotate-service-credentials',
    ]);
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const res = await fetch(
        `${sandbox.urls.n8n}/api/v1/workflows?limit=2${query}`,
        { headers },
      );
      expect(res.status).toBe(200);
      const page = await res.json();
      expect(page.data.length).toBeLessThanOrEqual(2);
      names.push(...page.data.map((w: { name: string }) => w.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(names)).toEqual(expected);
    expect(names).toHaveLength(expected.size);
    const anonymous = await fetch(`${sandbox.urls.n8n}/api/v1/workflows`);
    expect(anonymous.status).toBe(401);
  });

  it('n8n: a production webhook starts an execution that ends as the workflow decides, readable by id', async () => {
    const headers = { 'x-n8n-api-key': SANDBOX_CREDENTIALS.n8nApiKey };
    const trigger = (body: object) =>
      postJson(`${sandbox.urls.n8n}/webhook/onboard-team-member`, body).then(
        r => r.json(),
      );
    const ok = await trigger({
      input: { githubUsername: 'mia-chen', fullName: 'Mia Chen' },
    });
    const ghost = await trigger({ input: { githubUsername: 'ghost-user' } });
    expect(ok.executionId).toMatch(/^\d+$/);
    const execution = (id: string) =>
      fetch(`${sandbox.urls.n8n}/api/v1/executions/${id}`, { headers }).then(
        r => r.json(),
      );
    expect((await execution(ok.executionId)).status).toBe('running');
    let ended: string[] = [];
    for (let i = 0; i < 40 && ended.length < 2; i++) {
      await new Promise(resolve => setTimeout(resolve, 250));
      ended = (
        await Promise.all([
          execution(ok.executionId),
          execution(ghost.executionId),
        ])
      )
        .map(e => e.status)
        .filter(status => status !== 'running');
    }
    expect(ended).toEqual(['success', 'error']);
    const unknown = await postJson(
      `${sandbox.urls.n8n}/webhook/nothing-here`,
      {},
    );
    expect(unknown.status).toBe(404);
  });

  it('Feishu: issues a tenant token for the sandbox app and lists wiki spaces with it', async () => {
    const tokenUrl = `${sandbox.urls.feishu}/open-apis/auth/v3/tenant_access_token/internal`;
    const tokenRes = await postJson(tokenUrl, {
      app_id: SANDBOX_CREDENTIALS.feishuAppId,
      app_secret: SANDBOX_CREDENTIALS.feishuAppSecret,
    });
    const token = await tokenRes.json();
    expect(token).toMatchObject({ code: 0, expire: 7200 });
    const spaces = await (
      await fetch(`${sandbox.urls.feishu}/open-apis/wiki/v2/spaces`, {
        headers: { authorization: `Bearer ${token.tenant_access_token}` },
      })
    ).json();
    expect(spaces.code).toBe(0);
    expect(spaces.data.items.length).toBeGreaterThanOrEqual(5);
    for (const space of spaces.data.items) {
      expect(space.space_id).toMatch(/^\d{19}$/);
    }
    const badSecret = await postJson(tokenUrl, {
      app_id: SANDBOX_CREDENTIALS.feishuAppId,
      app_secret: 'wrong',
    });
    expect((await badSecret.json()).code).toBe(10014);
  });

  it('LLM: answers an OpenAI chat completion from the sources it is sent, citing them', async () => {
    const chat = (body: unknown) =>
      postJson(`${sandbox.urls.llm}/v1/chat/completions`, body, {
        authorization: `Bearer ${SANDBOX_CREDENTIALS.llmApiKey}`,
      });
    const system = [
      'Capability: chat',
      'Answer from the sources below and cite them as [n].',
      '[1] invoice-service',
      'invoice-service issues invoices and runs dunning for overdue accounts. It is owned by team-billing.',
      '[2] Checkout runbook',
      'When checkout fails with 502, roll back the last payment-gateway deployment first.',
    ].join('\n');
    const res = await chat({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: system },
        {
          role: 'user',
          content: 'Who owns invoice-service and what does it do?',
        },
      ],
    });
    expect(res.status).toBe(200);
    const completion = await res.json();
    expect(completion.object).toBe('chat.completion');
    const answer: string = completion.choices[0].message.content;
    expect(answer).toContain('owned by team-billing. [1]');
    expect(answer).not.toContain('[2]');
    expect(completion.usage.total_tokens).toBe(
      completion.usage.prompt_tokens + completion.usage.completion_tokens,
    );
    const unknownModel = await chat({
      model: 'gpt-9',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(unknownModel.status).toBe(404);
    expect((await unknownModel.json()).error.code).toBe('model_not_found');
  });

  it('LLM: streams chunks, calls a tool the question needs, fails or stalls when told, logs what it was sent', async () => {
    const auth = { authorization: `Bearer ${SANDBOX_CREDENTIALS.llmApiKey}` };
    const chat = (body: unknown, signal?: AbortSignal) =>
      fetch(`${sandbox.urls.llm}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify(body),
        signal,
      });
    await postJson(`${sandbox.urls.llm}/__control`, { tokenDelayMs: 0 });
    await fetch(`${sandbox.urls.llm}/__requests`, { method: 'DELETE' });
    const messages = [
      {
        role: 'system',
        content:
          'Capability: chat\n[1] checkout runbook\nRoll back the checkout deployment when p99 latency alerts fire.',
      },
      {
        role: 'user',
        content: 'What do I do when checkout latency alerts fire?',
      },
    ];
    const streamed = await (
      await chat({
        model: 'gpt-4o-mini',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      })
    ).text();
    const events = streamed
      .split('\n\n')
      .filter(e => e.startsWith('data: '))
      .map(e => e.slice(6));
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map(e => JSON.parse(e));
    const text = chunks.map(c => c.choices[0]?.delta?.content ?? '').join('');
    expect(text).toContain(
      'Roll back the checkout deployment when p99 latency alerts fire. [1]',
    );
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.at(-1).usage.total_tokens).toBeGreaterThan(0);

    const tools = [
      {
        type: 'function',
        function: {
          name: 'opencost__get-service-costs',
          parameters: {
            type: 'object',
            properties: { entityRef: { type: 'string' } },
            required: ['entityRef'],
          },
        },
      },
    ];
    const toolAnswer = await (
      await chat({
        model: 'gpt-4o-mini',
        tools,
        messages: [
          {
            role: 'user',
            content: 'What does component:default/invoice-service cost?',
          },
        ],
      })
    ).json();
    expect(toolAnswer.choices[0].finish_reason).toBe('tool_calls');
    const call = toolAnswer.choices[0].message.tool_calls[0];
    expect(call.function.name).toBe('opencost__get-service-costs');
    expect(JSON.parse(call.function.arguments)).toEqual({
      entityRef: 'component:default/invoice-service',
    });

    await postJson(`${sandbox.urls.llm}/__control`, {
      mode: 'fail',
      status: 503,
      remaining: 1,
    });
    expect((await chat({ model: 'gpt-4o-mini', messages })).status).toBe(503);
    expect((await chat({ model: 'gpt-4o-mini', messages })).status).toBe(200);
    await postJson(`${sandbox.urls.llm}/__control`, {
      mode: 'stall',
      remaining: 1,
    });
    await expect(
      chat({ model: 'gpt-4o-mini', messages }, AbortSignal.timeout(300)),
    ).rejects.toThrow();

    const log = await (await fetch(`${sandbox.urls.llm}/__requests`)).json();
    expect(
      log.items.map((r: { body: any }) => r.body.messages.at(-1).content),
    ).toContain('What do I do when checkout latency alerts fire?');
    await postJson(`${sandbox.urls.llm}/__control`, {});
  });

  it('Datadog: lists the monitors of a service by tag, and 403 without keys', async () => {
    const headers = {
      'dd-api-key': SANDBOX_CREDENTIALS.datadogApiKey,
      'dd-application-key': SANDBOX_CREDENTIALS.datadogAppKey,
    };
    const monitors = await (
      await fetch(
        `${sandbox.urls.datadog}/api/v1/monitor?monitor_tags=service:invoice-service`,
        { headers },
      )
    ).json();
    expect(monitors).toHaveLength(2);
    expect(
      monitors.map((m: { overall_state: string }) => m.overall_state),
    ).toContain('Alert');
    const forbidden = await fetch(`${sandbox.urls.datadog}/api/v1/monitor`);
    expect(forbidden.status).toBe(403);
  });

  it('Kubernetes: lists the workload of a kubernetes-id by label selector, one pod crash-looping', async () => {
    const get = (path: string) =>
      fetch(`${sandbox.urls.kubernetes}${path}`, {
        headers: {
          authorization: `Bearer ${SANDBOX_CREDENTIALS.kubernetesToken}`,
        },
      });
    const selector = encodeURIComponent(
      'backstage.io/kubernetes-id=invoice-service',
    );
    const pods = await (
      await get(`/api/v1/pods?labelSelector=${selector}`)
    ).json();
    expect(pods.kind).toBe('PodList');
    expect(pods.items.length).toBeGreaterThanOrEqual(2);
    const waiting = pods.items.map(
      (p: any) => p.status.containerStatuses[0].state.waiting?.reason,
    );
    expect(waiting).toContain('CrashLoopBackOff');
    expect(
      Math.max(
        ...pods.items.map(
          (p: any) => p.status.containerStatuses[0].restartCount,
        ),
      ),
    ).toBeGreaterThan(10);

    const invoice = encodeURIComponent(
      'backstage.io/kubernetes-id=invoice-service',
    );
    for (const path of [
      '/apis/apps/v1/deployments',
      '/apis/apps/v1/replicasets',
      '/apis/autoscaling/v2/horizontalpodautoscalers',
      '/api/v1/services',
    ]) {
      const list = await (await get(`${path}?labelSelector=${invoice}`)).json();
      expect(list.items).toHaveLength(1);
      expect(list.items[0].metadata.namespace).toBe('invoicing');
    }
    const healthy = await (
      await get(
        `/api/v1/pods?labelSelector=${encodeURIComponent(
          'backstage.io/kubernetes-id=ledger-service',
        )}`,
      )
    ).json();
    expect(
      healthy.items.every((p: any) => p.status.containerStatuses[0].ready),
    ).toBe(true);
    const inOtherNamespace = await (
      await get(`/api/v1/namespaces/payments/pods?labelSelector=${invoice}`)
    ).json();
    expect(inOtherNamespace.items).toEqual([]);
    expect((await (await get('/api/v1/configmaps')).json()).items).toEqual([]);
    expect((await fetch(`${sandbox.urls.kubernetes}/api/v1/pods`)).status).toBe(
      401,
    );
  });

  it('Sentry: unresolved issues per sentry/project-slug, invoice-service spiking in the last hours', async () => {
    const issues = async (slug: string) =>
      fetch(
        `${sandbox.urls.sentry}/api/0/projects/${slug}/issues/?query=is:unresolved`,
        {
          headers: {
            authorization: `Bearer ${SANDBOX_CREDENTIALS.sentryToken}`,
          },
        },
      );
    const spiking = await (await issues('quillstack/invoice-service')).json();
    expect(spiking.length).toBeGreaterThan(0);
    const lastHours = spiking[0].stats['24h']
      .slice(-3)
      .map((p: number[]) => p[1]);
    const earlier = spiking[0].stats['24h']
      .slice(0, 3)
      .map((p: number[]) => p[1]);
    expect(Math.min(...lastHours)).toBeGreaterThan(
      10 * Math.max(1, ...earlier),
    );
    expect(spiking[0]).toMatchObject({
      status: 'unresolved',
      count: expect.stringMatching(/^\d+$/),
      firstSeen: expect.any(String),
      permalink: expect.stringContaining('sentry.io/issues/'),
    });
    expect((await issues('quillstack/nope')).status).toBe(404);
    expect(
      (
        await fetch(
          `${sandbox.urls.sentry}/api/0/projects/quillstack/invoice-service/issues/`,
        )
      ).status,
    ).toBe(401);
  });

  it("GitHub: open pull requests by the owning team and the latest Actions runs, pdf-renderer's newest failing", async () => {
    const auth = {
      headers: { authorization: `token ${SANDBOX_CREDENTIALS.githubToken}` },
    };
    const pulls = await (
      await fetch(
        `${sandbox.urls.github}/repos/quillstack/invoice-service/pulls?state=open`,
        auth,
      )
    ).json();
    expect(pulls.length).toBeGreaterThan(0);
    expect(pulls[0]).toMatchObject({
      state: 'open',
      user: { login: expect.any(String) },
      html_url: expect.stringContaining('/pull/'),
    });
    const runs = async (repo: string) =>
      (
        await (
          await fetch(
            `${sandbox.urls.github}/repos/quillstack/${repo}/actions/runs?per_page=5`,
            auth,
          )
        ).json()
      ).workflow_runs;
    expect((await runs('pdf-renderer'))[0].conclusion).toBe('failure');
    const invoiceRuns = await runs('invoice-service');
    expect(invoiceRuns).toHaveLength(5);
    expect(invoiceRuns[0].conclusion).toBe('success');
  });

  describe('Feishu workspace', () => {
    let token: string;
    const get = async (path: string) => {
      const res = await fetch(`${sandbox.urls.feishu}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.status, body: await res.json() };
    };

    beforeAll(async () => {
      const res = await postJson(
        `${sandbox.urls.feishu}/open-apis/auth/v3/tenant_access_token/internal`,
        {
          app_id: SANDBOX_CREDENTIALS.feishuAppId,
          app_secret: SANDBOX_CREDENTIALS.feishuAppSecret,
        },
      );
      token = (await res.json()).tenant_access_token;
    });

    it('has at least 30 docx documents in nested wiki nodes, every block list paged and complete', async () => {
      const spaces = (await get('/open-apis/wiki/v2/spaces?page_size=50')).body
        .data.items;
      const documents: Array<{
        obj_token: string;
        title: string;
        depth: number;
      }> = [];
      const walk = async (spaceId: string, parent: string, depth: number) => {
        let pageToken = '';
        do {
          const page = (
            await get(
              `/open-apis/wiki/v2/spaces/${spaceId}/nodes?page_size=5&parent_node_token=${parent}&page_token=${pageToken}`,
            )
          ).body.data;
          for (const node of page.items) {
            documents.push({
              obj_token: node.obj_token,
              title: node.title,
              depth,
            });
            if (node.has_child) await walk(spaceId, node.node_token, depth + 1);
          }
          pageToken = page.page_token;
        } while (pageToken);
      };
      for (const space of spaces) await walk(space.space_id, '', 0);
      expect(documents.length).toBeGreaterThanOrEqual(30);
      expect(Math.max(...documents.map(d => d.depth))).toBeGreaterThanOrEqual(
        2,
      );
      expect(documents.some(d => /[\u4e00-\u9fff]/.test(d.title))).toBe(true);

      const runbook = documents.find(d =>
        d.title.startsWith('invoice-service'),
      )!;
      const blocks: any[] = [];
      let pageToken = '';
      do {
        const page = (
          await get(
            `/open-apis/docx/v1/documents/${runbook.obj_token}/blocks?page_size=20&page_token=${pageToken}`,
          )
        ).body.data;
        blocks.push(...page.items);
        pageToken = page.page_token;
      } while (pageToken);
      const types = new Set(blocks.map(b => b.block_type));
      for (const type of [
        1, 2, 3, 12, 13, 14, 15, 17, 19, 22, 23, 24, 25, 27, 31, 32,
      ]) {
        expect({ type, present: types.has(type) }).toEqual({
          type,
          present: true,
        });
      }
      const ids = new Set(blocks.map(b => b.block_id));
      expect(
        blocks
          .flatMap(b => b.children ?? [])
          .every((id: string) => ids.has(id)),
      ).toBe(true);
      const merged = blocks
        .filter(b => b.block_type === 31)
        .some(b =>
          b.table.property.merge_info.some((m: any) => m.row_span > 1),
        );
      expect(merged).toBe(true);
      expect(JSON.stringify(blocks)).toContain('mention_user');

      const comments = (
        await get(
          `/open-apis/drive/v1/files/${runbook.obj_token}/comments?file_type=docx`,
        )
      ).body.data.items;
      expect(comments.length).toBeGreaterThan(0);
      const members = (
        await get(
          `/open-apis/drive/v1/permissions/${runbook.obj_token}/members?type=docx`,
        )
      ).body.data.items;
      expect(members.map((m: any) => m.perm)).toContain('edit');

      const image = blocks.find(b => b.block_type === 27).image.token;
      const png = await fetch(
        `${sandbox.urls.feishu}/open-apis/drive/v1/medias/${image}/download`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      expect(png.headers.get('content-type')).toBe('image/png');
      expect(
        Buffer.from(await png.arrayBuffer())
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
    });

    it('answers unknown documents and bad page sizes like Feishu', async () => {
      expect(
        (await get('/open-apis/docx/v1/documents/doxcnNope/blocks')).status,
      ).toBe(404);
      const bad = await get('/open-apis/wiki/v2/spaces?page_size=500');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe(99992402);
    });
  });
});
