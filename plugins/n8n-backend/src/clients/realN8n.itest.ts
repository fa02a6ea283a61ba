import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { N8nClient, N8nWorkflow, productionWebhookOf } from './N8nClient';

/**
 * Against the real thing: the npm package n8n started on loopback (PostgreSQL as its database), a workflow
 * with a webhook trigger created through its public API, run through the portal's client, and its
 * execution read back. `yarn test:n8n-real` installs n8n (scripts/installRealN8n.sh) and runs this file, which
 * is not among the unit tests: it needs N8N_REAL_BIN, the path of n8n's binary.
 */
const n8nBin = process.env.N8N_REAL_BIN;
if (!n8nBin) {
  throw new Error(
    'N8N_REAL_BIN must name the n8n binary: run yarn test:n8n-real',
  );
}
const postgres =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

jest.setTimeout(240_000);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

async function until<T>(
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(`${what} did not happen in ${timeoutMs} ms (${lastError})`);
}

(n8nBin ? describe : describe.skip)(
  'a real n8n (npm package, on loopback)',
  () => {
    const database = `n8n_real_${randomUUID().slice(0, 8)}`;
    const home = mkdtempSync(path.join(tmpdir(), 'n8n-home-'));
    let admin: Knex;
    let n8n: ChildProcess;
    let baseUrl: string;
    let apiKey: string;
    let output = '';

    beforeAll(async () => {
      admin = knexFactory({ client: 'pg', connection: postgres });
      await admin.raw(`CREATE DATABASE ${database}`);
      const url = new URL(postgres);
      const port = await freePort();
      baseUrl = `http://127.0.0.1:${port}`;
      n8n = spawn(n8nBin, ['start'], {
        env: {
          ...process.env,
          // Under NODE_ENV=test (Jest's) n8n neither logs nor starts its server.
          NODE_ENV: 'production',
          N8N_USER_FOLDER: home,
          N8N_PORT: String(port),
          N8N_LISTEN_ADDRESS: '127.0.0.1',
          WEBHOOK_URL: `${baseUrl}/`,
          DB_TYPE: 'postgresdb',
          DB_POSTGRESDB_HOST: url.hostname,
          DB_POSTGRESDB_PORT: url.port || '5432',
          DB_POSTGRESDB_USER: decodeURIComponent(url.username) || 'postgres',
          DB_POSTGRESDB_PASSWORD: decodeURIComponent(url.password),
          DB_POSTGRESDB_DATABASE: database,
          N8N_DIAGNOSTICS_ENABLED: 'false',
          N8N_PERSONALIZATION_ENABLED: 'false',
          N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
          N8N_SECURE_COOKIE: 'false',
          N8N_RUNNERS_ENABLED: 'false',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      n8n.stdout?.on('data', chunk => (output += chunk));
      n8n.stderr?.on('data', chunk => (output += chunk));
      const started = Date.now();
      await until(
        `n8n answering on ${baseUrl}`,
        async () =>
          (await fetch(`${baseUrl}/healthz/readiness`)).ok ? true : undefined,
        180_000,
      ).catch(error => {
        throw new Error(`${error.message}\n${output.slice(-3000)}`);
      });
      // eslint-disable-next-line no-console
      console.log(`n8n started in ${Date.now() - started} ms`);

      // The owner account and an API key, as an admin would set them up in the UI.
      const setup = await until(
        'the owner account',
        async () => {
          const response = await fetch(`${baseUrl}/rest/owner/setup`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              email: 'platform@quillstack.example',
              firstName: 'Platform',
              lastName: 'Team',
              password: 'Portal-test-1234',
            }),
          });
          if (response.status !== 200) {
            throw new Error(`${response.status} ${await response.text()}`);
          }
          return response;
        },
        60_000,
      );
      const cookie = setup.headers.get('set-cookie')!.split(';')[0];
      const scopes = (
        await (
          await fetch(`${baseUrl}/rest/api-keys/scopes`, {
            headers: { cookie },
          })
        ).json()
      ).data;
      const key = await fetch(`${baseUrl}/rest/api-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ label: 'portal', expiresAt: null, scopes }),
      });
      apiKey = (await key.json()).data?.rawApiKey;
      if (!apiKey) throw new Error(`n8n gave no API key (${key.status})`);
    });

    afterAll(async () => {
      n8n?.kill('SIGTERM');
      await new Promise(resolve => {
        if (!n8n || n8n.exitCode !== null) resolve(undefined);
        else n8n.once('exit', resolve);
        setTimeout(resolve, 15_000);
      });
      await admin?.raw(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin?.destroy();
      rmSync(home, { recursive: true, force: true });
    });

    async function publicApi<T>(
      method: string,
      route: string,
      body?: unknown,
    ): Promise<T> {
      const response = await fetch(`${baseUrl}/api/v1/${route}`, {
        method,
        headers: {
          'content-type': 'application/json',
          'x-n8n-api-key': apiKey,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok)
        throw new Error(`${method} ${route}: ${response.status} ${text}`);
      return JSON.parse(text) as T;
    }

    it('creates a webhook workflow through the API, runs it through the portal client and reads its execution back', async () => {
      const workflow = await publicApi<N8nWorkflow>('POST', 'workflows', {
        name: 'portal-ping',
        nodes: [
          {
            id: randomUUID(),
            name: 'Webhook',
            type: 'n8n-nodes-base.webhook',
            typeVersion: 2,
            position: [0, 0],
            webhookId: randomUUID(),
            parameters: {
              httpMethod: 'POST',
              path: 'portal-ping',
              responseMode: 'responseNode',
              options: {},
            },
          },
          {
            id: randomUUID(),
            name: 'Respond to Webhook',
            type: 'n8n-nodes-base.respondToWebhook',
            typeVersion: 1.1,
            position: [220, 0],
            parameters: {
              respondWith: 'json',
              responseBody: '={{ { "executionId": $execution.id } }}',
              options: {},
            },
          },
          {
            id: randomUUID(),
            name: 'Done',
            type: 'n8n-nodes-base.noOp',
            typeVersion: 1,
            position: [440, 0],
            parameters: {},
          },
        ],
        connections: {
          Webhook: {
            main: [[{ node: 'Respond to Webhook', type: 'main', index: 0 }]],
          },
          'Respond to Webhook': {
            main: [[{ node: 'Done', type: 'main', index: 0 }]],
          },
        },
        settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
      });
      const tag = await publicApi<{ id: string }>('POST', 'tags', {
        name: 'backstage',
      });
      await publicApi('PUT', `workflows/${workflow.id}/tags`, [{ id: tag.id }]);
      await publicApi('POST', `workflows/${workflow.id}/activate`);

      const client = new N8nClient({ baseUrl, apiKey, timeoutMs: 30_000 });
      const listed = await client.listWorkflows(['backstage']);
      const found = listed.find(w => w.id === workflow.id)!;
      expect(found).toMatchObject({ name: 'portal-ping', active: true });
      expect(found.tags?.map(t => t.name)).toEqual(['backstage']);
      expect(productionWebhookOf(found, `${baseUrl}/`)).toEqual({
        url: `${baseUrl}/webhook/portal-ping`,
        method: 'POST',
      });

      const runId = randomUUID();
      const { executionId } = await client.trigger(found, {
        runId,
        input: { service: 'component:default/invoice-service' },
      });
      expect(executionId).toMatch(/^\d+$/);
      const execution = await until(
        'the execution to end',
        async () => {
          const e = await client.getExecution(executionId!, {
            includeData: true,
          });
          return e.finished || e.status === 'error' ? e : undefined;
        },
        60_000,
      );
      expect(execution).toMatchObject({
        status: 'success',
        finished: true,
        workflowId: workflow.id,
      });
      // What the follower reads to find a run's execution and what a grant is checked against.
      expect(JSON.stringify(execution.data)).toContain(runId);
      const recent = await client.listExecutions(workflow.id, {
        includeData: true,
      });
      expect(recent.map(e => String(e.id))).toContain(executionId);
    });
  },
);
