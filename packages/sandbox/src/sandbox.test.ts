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
    sandbox = await startSandbox({ ports: FREE_PORTS });
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

  it('Argo CD: has an application for every argocd/app-name annotation', async () => {
    const annotated = sandbox.catalog.components.filter(
      c => c.annotations['argocd/app-name'],
    );
    expect(annotated.length).toBeGreaterThanOrEqual(12);
    const healths = new Set<string>();
    for (const component of annotated) {
      const name = component.annotations['argocd/app-name'];
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

  it('n8n: lists every workflow named in n8n/workflows annotations, paged with a cursor', async () => {
    const headers = { 'x-n8n-api-key': SANDBOX_CREDENTIALS.n8nApiKey };
    const expected = new Set(
      sandbox.catalog.components.flatMap(c =>
        (c.annotations['n8n/workflows'] ?? '').split(',').filter(Boolean),
      ),
    );
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

  it('LLM: answers an OpenAI chat completion from the demo catalog', async () => {
    const chat = (body: unknown) =>
      postJson(`${sandbox.urls.llm}/v1/chat/completions`, body, {
        authorization: `Bearer ${SANDBOX_CREDENTIALS.llmApiKey}`,
      });
    const res = await chat({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are the Quillstack portal assistant.' },
        { role: 'user', content: 'Why is usage-metering degraded?' },
      ],
    });
    expect(res.status).toBe(200);
    const completion = await res.json();
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0].message.content).toContain(
      'contractors-northwind',
    );
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

  it('Datadog: lists the monitors of a service by tag, and 403 without keys', async () => {
    const headers = {
      'dd-api-key': SANDBOX_CREDENTIALS.datadogApiKey,
      'dd-application-key': SANDBOX_CREDENTIALS.datadogAppKey,
    };
    const monitors = await (
      await fetch(
        `${sandbox.urls.datadog}/api/v1/monitor?monitor_tags=service:usage-metering`,
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
});
