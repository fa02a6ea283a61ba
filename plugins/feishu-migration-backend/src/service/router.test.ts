import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  SecurityAuditEntry,
  securityAccessServiceRef,
  securityAuditServiceRef,
} from '@internal/plugin-security-node';
import {
  DEFAULT_CONVERSION_OPTIONS,
  DEFAULT_TARGET_STRUCTURE,
} from '@internal/plugin-feishu-migration-common';
import {
  RunningSandbox,
  SANDBOX_CREDENTIALS,
  startSandbox,
  UPSTREAMS,
} from '@internal/sandbox';
import request from 'supertest';
import { feishuMigrationPlugin } from '../plugin';

jest.setTimeout(60_000);

const DEVELOPER = 'user:default/erik-larsen';
const CONTRACTOR = 'user:default/rafael-ortiz';
const OUTSIDER = 'user:default/nobody';

const component = (name: string, owner: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    annotations: { 'github.com/project-slug': `quillstack/${name}` },
  },
  spec: { type: 'service', owner, lifecycle: 'production' },
});

describe('feishu-migration routes', () => {
  let sandbox: RunningSandbox;
  let server: any;
  let stop: () => Promise<void>;
  let localDirectory: string;
  const audit: SecurityAuditEntry[] = [];
  const approvalsConsumed: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({
      ports: Object.fromEntries(UPSTREAMS.map(u => [u, 0])),
    });
    localDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'feishu-routes-'));
    const backend = await startTestBackend({
      features: [
        feishuMigrationPlugin,
        mockServices.rootConfig.factory({
          data: {
            feishu: {
              baseUrl: sandbox.urls.feishu,
              appId: SANDBOX_CREDENTIALS.feishuAppId,
              appSecret: SANDBOX_CREDENTIALS.feishuAppSecret,
              migration: { delivery: 'local-folder', localDirectory },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            component('invoice-service', 'team-billing'),
            component('usage-metering', 'contractors-northwind'),
            component('pdf-renderer', 'team-billing'),
          ],
        }),
        // The security plugin's answers: developers may migrate, the contractor needs an approval (which
        // they hold once), anyone else may not.
        createServiceFactory({
          service: securityAccessServiceRef,
          deps: {},
          factory: () => ({
            validate: async (user: string) => {
              if (user === DEVELOPER) return { allowed: true };
              if (user === CONTRACTOR)
                return {
                  allowed: true,
                  requiresApproval: true,
                  approvers: ['group:default/team-platform'],
                };
              return { allowed: false, reason: 'viewers may not migrate' };
            },
            consumeApproval: async (user: string) => {
              if (approvalsConsumed.includes(user)) {
                throw new Error('no approved, unexpired approval');
              }
              approvalsConsumed.push(user);
              return {} as any;
            },
          }),
        }),
        createServiceFactory({
          service: securityAuditServiceRef,
          deps: {},
          factory: () => ({
            record: async (entry: SecurityAuditEntry) => void audit.push(entry),
          }),
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(async () => {
    await stop();
    await sandbox.stop();
    fs.rmSync(localDirectory, { recursive: true, force: true });
  });

  const as = (user: string) => mockCredentials.user.header(user);
  const api = '/api/feishu-migration';

  /** Polls the job until it reaches one of the statuses (or the attempts run out) and returns it. */
  async function waitForJob(
    id: string,
    statuses: string[],
    { attempts = 100, intervalMs = 200 } = {},
  ) {
    let job: any;
    for (let i = 0; i < attempts; i++) {
      job = (
        await request(server)
          .get(`${api}/migrations/${id}`)
          .set('authorization', as(DEVELOPER))
      ).body;
      if (statuses.includes(job.status)) break;
      await new Promise(resolve => setTimeout(resolve, intervalMs));
    }
    return job;
  }

  async function billingSpace() {
    const spaces = await request(server)
      .get(`${api}/spaces?entityRef=component:default/invoice-service`)
      .set('authorization', as(DEVELOPER));
    expect(spaces.status).toBe(200);
    const space = spaces.body.items.find((s: any) =>
      s.name.startsWith('Billing'),
    );
    const nodes = await request(server)
      .get(
        `${api}/spaces/${space.spaceId}/nodes?entityRef=component:default/invoice-service`,
      )
      .set('authorization', as(DEVELOPER));
    return { space, nodes: nodes.body.items as any[] };
  }

  it('refuses anonymous calls and services: every route needs a signed-in user', async () => {
    const anonymous = await request(server)
      .get(`${api}/migrations`)
      .set('authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const asService = await request(server)
      .get(`${api}/migrations`)
      .set('authorization', mockCredentials.service.header());
    expect(asService.status).toBe(403);
  });

  it('explains bad input with a 400', async () => {
    const missing = await request(server)
      .get(`${api}/spaces`)
      .set('authorization', as(DEVELOPER));
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(
      /entityRef query parameter is required/,
    );
    const bad = await request(server)
      .post(`${api}/migrations`)
      .set('authorization', as(DEVELOPER))
      .send({
        entityRef: 'component:default/invoice-service',
        spaceId: 'x',
        nodeTokens: [],
        options: DEFAULT_CONVERSION_OPTIONS,
        target: DEFAULT_TARGET_STRUCTURE,
      });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/nodeTokens/);
    const { space } = await billingSpace();
    const outside = await request(server)
      .post(`${api}/migrations`)
      .set('authorization', as(DEVELOPER))
      .send({
        entityRef: 'component:default/invoice-service',
        spaceId: space.spaceId,
        nodeTokens: ['wikcnNotInThisSpace'],
        options: DEFAULT_CONVERSION_OPTIONS,
        target: { docsPath: '../../etc', preserveHierarchy: true },
      });
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toMatch(/not in Billing/);
  });

  it('denies who may not migrate, and audits the denial', async () => {
    const denied = await request(server)
      .get(`${api}/spaces?entityRef=component:default/invoice-service`)
      .set('authorization', as(OUTSIDER));
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(/viewers may not migrate/);
    expect(audit).toContainEqual(
      expect.objectContaining({ actorRef: OUTSIDER, outcome: 'denied' }),
    );
  });

  it('previews a page as Markdown beside its source outline', async () => {
    const { nodes } = await billingSpace();
    const runbook = nodes.find(n => n.title.startsWith('invoice-service'));
    const preview = await request(server)
      .post(`${api}/preview`)
      .set('authorization', as(DEVELOPER))
      .send({
        entityRef: 'component:default/invoice-service',
        nodeToken: runbook.nodeToken,
        options: DEFAULT_CONVERSION_OPTIONS,
      });
    expect(preview.status).toBe(200);
    expect(preview.body.markdown).toMatch(/^# invoice-service/);
    expect(preview.body.markdown).toContain('](data:image/png;base64,');
    // Mentions show names, and the preview's Markdown has the callout as a quote instead of `!!!`.
    expect(preview.body.markdown).not.toMatch(/@ou_[0-9a-f]+/);
    expect(preview.body.markdown).toContain('!!! warning');
    expect(preview.body.previewMarkdown).not.toContain('!!!');
    expect(preview.body.previewMarkdown).toMatch(/^> \*\*Warning\*\*$/m);
    expect(preview.body.source[0]).toEqual({
      depth: 0,
      kind: 'page',
      text: runbook.title,
    });
    expect(preview.body.source.map((s: any) => s.kind)).toContain('table');
  });

  it('runs a migration to the end, lists it, and rolls it back', async () => {
    const { space, nodes } = await billingSpace();
    const created = await request(server)
      .post(`${api}/migrations`)
      .set('authorization', as(DEVELOPER))
      .send({
        entityRef: 'invoice-service',
        spaceId: space.spaceId,
        nodeTokens: nodes.map(n => n.nodeToken),
        options: DEFAULT_CONVERSION_OPTIONS,
        target: DEFAULT_TARGET_STRUCTURE,
      });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({
      entityRef: 'component:default/invoice-service',
      createdBy: DEVELOPER,
      documentsTotal: nodes.length,
      delivery: 'local-folder',
      destination: path.join(localDirectory, 'invoice-service'),
    });
    const id = created.body.id;
    let job = await waitForJob(id, ['completed', 'failed']);
    expect(job).toMatchObject({
      status: 'completed',
      documentsConverted: nodes.length,
    });
    expect(job.documents.every((d: any) => d.validation.ok)).toBe(true);
    expect(
      fs.existsSync(path.join(localDirectory, 'invoice-service', 'mkdocs.yml')),
    ).toBe(true);

    const validation = await request(server)
      .get(`${api}/migrations/${id}/validation`)
      .set('authorization', as(DEVELOPER));
    expect(validation.body).toMatchObject({
      migrationId: id,
      ok: true,
      pagesChecked: nodes.length,
      pagesWithProblems: 0,
      mkdocsBuild: { status: 'passed' },
    });

    const list = await request(server)
      .get(`${api}/migrations?entityRef=component:default/invoice-service`)
      .set('authorization', as(DEVELOPER));
    expect(list.body.totalItems).toBe(1);
    expect(list.body.items[0].id).toBe(id);

    const rollback = await request(server)
      .post(`${api}/migrations/${id}/rollback`)
      .set('authorization', as(DEVELOPER));
    expect(rollback.status).toBe(202);
    job = await waitForJob(id, ['rolled_back'], {
      attempts: 50,
      intervalMs: 100,
    });
    expect(job.status).toBe('rolled_back');
    expect(
      fs.existsSync(path.join(localDirectory, 'invoice-service', 'mkdocs.yml')),
    ).toBe(false);
    const again = await request(server)
      .post(`${api}/migrations/${id}/rollback`)
      .set('authorization', as(DEVELOPER));
    expect(again.status).toBe(409);
    expect(
      audit.filter(a => a.details?.job === id).map(a => a.details?.step),
    ).toEqual(['started', 'completed', 'rollback', 'rolled_back']);
  });

  it('migrates a drive folder: sub-folders become index pages of what they hold', async () => {
    const ref = 'component:default/pdf-renderer';
    const folders = await request(server)
      .get(`${api}/folders?entityRef=${ref}`)
      .set('authorization', as(DEVELOPER));
    expect(folders.body.items).toEqual([
      {
        folderToken: expect.stringMatching(/^fldcn/),
        name: '工程共享 Engineering shared',
      },
    ]);
    const { folderToken } = folders.body.items[0];
    const files = (
      await request(server)
        .get(`${api}/folders/${folderToken}/files?entityRef=${ref}`)
        .set('authorization', as(DEVELOPER))
    ).body.items as any[];
    const incidents = files.find(f => f.objType === 'folder');
    expect(incidents.title).toBe('事故复盘 Incidents');
    const doc = files.find(f => f.objType === 'docx');
    const preview = await request(server)
      .post(`${api}/preview`)
      .set('authorization', as(DEVELOPER))
      .send({
        entityRef: ref,
        documentId: doc.objToken,
        options: DEFAULT_CONVERSION_OPTIONS,
      });
    expect(preview.status).toBe(200);
    expect(preview.body.title).toBe(doc.title);
    const both = await request(server)
      .post(`${api}/preview`)
      .set('authorization', as(DEVELOPER))
      .send({
        entityRef: ref,
        documentId: doc.objToken,
        nodeToken: 'x',
        options: DEFAULT_CONVERSION_OPTIONS,
      });
    expect(both.status).toBe(400);

    const created = await request(server)
      .post(`${api}/migrations`)
      .set('authorization', as(DEVELOPER))
      .send({
        entityRef: ref,
        folderToken,
        nodeTokens: files.map(f => f.nodeToken),
        options: DEFAULT_CONVERSION_OPTIONS,
        target: DEFAULT_TARGET_STRUCTURE,
      });
    expect(created.status).toBe(202);
    expect(created.body.spaceName).toBe('工程共享 Engineering shared');
    const job = await waitForJob(created.body.id, ['completed', 'failed']);
    expect(job.status).toBe('completed');
    expect(job.documents.every((d: any) => d.validation.ok)).toBe(true);
    const index = fs.readFileSync(
      path.join(
        localDirectory,
        'pdf-renderer',
        'docs',
        'incidents',
        'index.md',
      ),
      'utf8',
    );
    expect(index.startsWith('# 事故复盘 Incidents\n\n- [')).toBe(true);
    expect(index).toContain(
      '- [2026-10 发票延迟 Invoice delays](2026-10-invoice-delays.md)',
    );
  });

  it('a contractor migrates once per approval', async () => {
    const { space, nodes } = await billingSpace();
    const body = {
      entityRef: 'component:default/usage-metering',
      spaceId: space.spaceId,
      nodeTokens: [nodes[0].nodeToken],
      options: DEFAULT_CONVERSION_OPTIONS,
      target: DEFAULT_TARGET_STRUCTURE,
    };
    const first = await request(server)
      .post(`${api}/migrations`)
      .set('authorization', as(CONTRACTOR))
      .send(body);
    expect(first.status).toBe(202);
    const second = await request(server)
      .post(`${api}/migrations`)
      .set('authorization', as(CONTRACTOR))
      .send(body);
    expect(second.status).toBe(403);
    expect(second.body.error.message).toMatch(
      /needs an approval from group:default\/team-platform: request one on the Access & approvals page/,
    );
  });
});
