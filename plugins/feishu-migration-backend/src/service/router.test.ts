import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
// The real security plugin answers this plugin's checks, as in the portal's backend.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import securityPlugin from '@internal/plugin-security-backend';
import {
  DEFAULT_CONVERSION_OPTIONS,
  DEFAULT_TARGET_STRUCTURE,
} from '@internal/plugin-feishu-migration-common';
import {
  loadDemoCatalog,
  servedEntities,
  RunningSandbox,
  SANDBOX_CREDENTIALS,
  startSandbox,
  UPSTREAMS,
} from '@internal/sandbox';
import { JsonObject } from '@backstage/types';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { feishuMigrationPlugin } from '../plugin';

jest.setTimeout(60_000);

const ADMIN = 'user:default/alice-nguyen';
const DEVELOPER = 'user:default/erik-larsen'; // team-billing: owns invoice-service, pdf-renderer
const PAYMENTS_DEVELOPER = 'user:default/ivan-morozov';
const CONTRACTOR = 'user:default/rafael-ortiz'; // contractors-northwind: owns usage-metering
const OUTSIDER = 'user:default/nobody';
/** In team-billing, but with an e-mail Feishu does not know (a new hire whose Feishu account is pending). */
const NEW_HIRE = 'user:default/noor-ali';

const ORG_SOURCE = 'file:/srv/org/teams.yaml';

/** The demo catalog as the catalog serves it, plus a new hire Feishu does not know yet. */
function demoEntities(): Entity[] {
  return (
    servedEntities(loadDemoCatalog(), { orgSource: ORG_SOURCE }) as Entity[]
  ).concat({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name: 'noor-ali',
      namespace: 'default',
      annotations: { [ANNOTATION_LOCATION]: ORG_SOURCE },
    },
    spec: {
      profile: { email: 'noor.ali@quillstack.example' },
      memberOf: ['team-billing'],
    },
    relations: [{ type: 'memberOf', targetRef: 'group:default/team-billing' }],
  });
}

/**
 * The demo catalog, seen as each caller may see it: the contractor does not see payment-gateway (the
 * security policy's restricted service; the catalog applying it is tested in packages/backend). The
 * catalog can be switched off to see how the routes answer an outage.
 */
const catalogState = { down: false };
function visibleCatalog(entities: Entity[]) {
  const mock = catalogServiceMock({ entities });
  const hidden = (
    entity: Entity | undefined,
    credentials: BackstageCredentials,
  ) =>
    entity &&
    (credentials.principal as { userEntityRef?: string }).userEntityRef ===
      CONTRACTOR &&
    entity.metadata.name === 'payment-gateway';
  const guard = () => {
    if (catalogState.down) throw new Error('connect ECONNREFUSED catalog');
  };
  return {
    ...mock,
    getEntityByRef: async (ref: any, options: any) => {
      guard();
      const entity = await mock.getEntityByRef(ref, options);
      return hidden(entity, options.credentials) ? undefined : entity;
    },
    getEntitiesByRefs: async (req: any, options: any) => {
      guard();
      const { items } = await mock.getEntitiesByRefs(req, options);
      return {
        items: items.map(e => (hidden(e, options.credentials) ? undefined : e)),
      };
    },
  } as typeof mock;
}

const SECURITY = {
  trustedOrgSources: [ORG_SOURCE],
  roles: [
    { group: 'group:default/team-platform', role: 'admin' },
    { group: 'group:default/engineering', role: 'developer' },
    {
      group: 'group:default/contractors-northwind',
      role: 'contractor-developer',
    },
  ],
  contractorPolicy: {
    accessBoundaries: {
      restrictedServices: ['component:default/payment-gateway'],
      requiresApproval: ['feishu.migrate'],
    },
  },
};

async function startPortal(
  sandbox: RunningSandbox,
  migration: JsonObject,
  entities: Entity[] = demoEntities(),
  /** What the portal's permission policy answers; the real one is tested in packages/backend. */
  permissionResult:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const backend = await startTestBackend({
    features: [
      mockServices.permissions.factory({ result: permissionResult }),
      feishuMigrationPlugin,
      securityPlugin,
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => visibleCatalog(entities),
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async () => {} }),
      }),
      mockServices.rootConfig.factory({
        data: {
          security: SECURITY,
          integrations: {
            github: [
              {
                host: 'github.com',
                apiBaseUrl: sandbox.urls.github,
                token: SANDBOX_CREDENTIALS.githubToken,
              },
            ],
          },
          feishu: {
            baseUrl: sandbox.urls.feishu,
            appId: SANDBOX_CREDENTIALS.feishuAppId,
            appSecret: SANDBOX_CREDENTIALS.feishuAppSecret,
            migration,
          },
        },
      }),
    ],
  });
  return backend;
}

const as = (user: string) => mockCredentials.user.header(user);
const api = '/api/feishu-migration';

describe('feishu-migration routes', () => {
  let sandbox: RunningSandbox;
  let server: any;
  let stop: () => Promise<void>;
  let localDirectory: string;

  beforeAll(async () => {
    sandbox = await startSandbox({
      ports: Object.fromEntries(UPSTREAMS.map(u => [u, 0])),
    });
    localDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'feishu-routes-'));
    const backend = await startPortal(sandbox, {
      delivery: 'local-folder',
      localDirectory,
    });
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(async () => {
    await stop();
    await sandbox.stop();
    fs.rmSync(localDirectory, { recursive: true, force: true });
  });
  afterEach(() => {
    catalogState.down = false;
  });

  /** Polls the job until it reaches one of the statuses (or the attempts run out) and returns it. */
  async function waitForJob(
    id: string,
    statuses: string[],
    { attempts = 100, intervalMs = 200, user = ADMIN } = {},
  ) {
    let job: any;
    for (let i = 0; i < attempts; i++) {
      job = (
        await request(server)
          .get(`${api}/migrations/${id}`)
          .set('authorization', as(user))
      ).body;
      if (statuses.includes(job.status)) break;
      await new Promise(resolve => setTimeout(resolve, intervalMs));
    }
    return job;
  }

  async function teamSpace(
    prefix: string,
    entityRef = 'component:default/invoice-service',
    user = DEVELOPER,
  ) {
    const spaces = await request(server)
      .get(`${api}/spaces?entityRef=${entityRef}`)
      .set('authorization', as(user));
    expect(spaces.status).toBe(200);
    const space = spaces.body.items.find((s: any) => s.name.startsWith(prefix));
    const nodes = await request(server)
      .get(`${api}/spaces/${space.spaceId}/nodes?entityRef=${entityRef}`)
      .set('authorization', as(user));
    return { space, nodes: nodes.body.items as any[] };
  }

  async function approve(user: string, entityRef: string) {
    const asked = await request(server)
      .post('/api/security/approvals')
      .set('authorization', as(user))
      .send({
        action: 'feishu.migrate',
        entityRef,
        justification: 'move our runbooks into TechDocs',
      });
    expect(asked.status).toBe(201);
    const decided = await request(server)
      .post(`/api/security/approvals/${asked.body.id}/decision`)
      .set('authorization', as(ADMIN))
      .send({ decision: 'approve', reason: 'ok' });
    expect(decided.status).toBe(200);
  }

  async function auditOf(user: string) {
    const res = await request(server)
      .get('/api/security/audit')
      .query({ actor: user, action: 'feishu.migrate', limit: 100 })
      .set('authorization', as(ADMIN));
    return res.body.items as Array<{
      outcome: string;
      entityRef?: string;
      details: Record<string, any>;
    }>;
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

  it('explains bad input with a 400, and an unknown space or page with a 404', async () => {
    const missing = await request(server)
      .get(`${api}/spaces`)
      .set('authorization', as(DEVELOPER));
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(
      /request\/query must have required property 'entityRef'/,
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
    const { space } = await teamSpace('Billing');
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

    const unknownSpace = await request(server)
      .get(
        `${api}/spaces/7000000000000000000/nodes?entityRef=component:default/invoice-service`,
      )
      .set('authorization', as(DEVELOPER));
    expect(unknownSpace.status).toBe(404);
    expect(unknownSpace.body.error.message).toMatch(/does not exist in Feishu/);
    const unknownNode = await request(server)
      .post(`${api}/preview`)
      .set('authorization', as(DEVELOPER))
      .send({
        entityRef: 'component:default/invoice-service',
        nodeToken: 'wikcnNoSuchPage',
        options: DEFAULT_CONVERSION_OPTIONS,
      });
    expect(unknownNode.status).toBe(404);
  });

  it('answers a catalog outage with a 503, not a 400', async () => {
    catalogState.down = true;
    const res = await request(server)
      .get(`${api}/spaces?entityRef=component:default/invoice-service`)
      .set('authorization', as(DEVELOPER));
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(/catalog could not/);
  });

  it('denies who may not migrate, and audits the denial', async () => {
    const denied = await request(server)
      .get(`${api}/spaces?entityRef=component:default/invoice-service`)
      .set('authorization', as(OUTSIDER));
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(
      /contractor viewers may only read/,
    );
    expect(await auditOf(OUTSIDER)).toContainEqual(
      expect.objectContaining({ outcome: 'denied' }),
    );
  });

  it('previews a page as Markdown beside its source outline', async () => {
    const { nodes } = await teamSpace('Billing');
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

  it('runs a migration to the end into the kind/namespace/name folder, lists it, and rolls it back', async () => {
    const { space, nodes } = await teamSpace('Billing');
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
    const folder = path.join(
      localDirectory,
      'component',
      'default',
      'invoice-service',
    );
    expect(created.body).toMatchObject({
      entityRef: 'component:default/invoice-service',
      createdBy: DEVELOPER,
      documentsTotal: nodes.length,
      delivery: 'local-folder',
      destination: folder,
    });
    const id = created.body.id;
    let job = await waitForJob(id, ['completed', 'failed']);
    expect(job).toMatchObject({
      status: 'completed',
      documentsConverted: nodes.length,
    });
    expect(job.documents.every((d: any) => d.validation.ok)).toBe(true);
    expect(fs.existsSync(path.join(folder, 'mkdocs.yml'))).toBe(true);

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

    // A developer of another team may neither roll back nor retry it.
    const foreign = await request(server)
      .post(`${api}/migrations/${id}/rollback`)
      .set('authorization', as(PAYMENTS_DEVELOPER));
    expect(foreign.status).toBe(403);

    const rollback = await request(server)
      .post(`${api}/migrations/${id}/rollback`)
      .set('authorization', as(DEVELOPER));
    expect(rollback.status).toBe(202);
    job = await waitForJob(id, ['rolled_back'], {
      attempts: 50,
      intervalMs: 100,
    });
    expect(job.status).toBe('rolled_back');
    expect(fs.existsSync(path.join(folder, 'mkdocs.yml'))).toBe(false);
    const again = await request(server)
      .post(`${api}/migrations/${id}/rollback`)
      .set('authorization', as(DEVELOPER));
    expect(again.status).toBe(409);
    const steps = (await auditOf(DEVELOPER))
      .filter(a => a.details?.job === id)
      .map(a => a.details?.step)
      .reverse();
    expect(steps).toEqual(['started', 'completed', 'rollback', 'rolled_back']);
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
        'component',
        'default',
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

  it('a contractor reads Feishu only with the approval migrating needs, and only what Feishu lets them read', async () => {
    const ref = 'component:default/usage-metering';
    const browse = () =>
      request(server)
        .get(`${api}/spaces?entityRef=${ref}`)
        .set('authorization', as(CONTRACTOR));
    const before = await browse();
    expect(before.status).toBe(403);
    expect(before.body.error.message).toMatch(
      /needs the same approval as migrating/,
    );

    await approve(CONTRACTOR, ref);
    // Browsing and previewing leave the approval for the migration.
    expect((await browse()).status).toBe(200);
    const { space, nodes } = await teamSpace('Northwind', ref, CONTRACTOR);
    const billing = await teamSpace('Billing', ref, CONTRACTOR);
    const preview = (nodeToken: string) =>
      request(server)
        .post(`${api}/preview`)
        .set('authorization', as(CONTRACTOR))
        .send({
          entityRef: ref,
          nodeToken,
          options: DEFAULT_CONVERSION_OPTIONS,
        });
    expect((await preview(nodes[0].nodeToken)).status).toBe(200);
    // The Billing team's runbooks are shared with the team's chat and the engineering department only.
    const foreign = await preview(billing.nodes[0].nodeToken);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toMatch(
      /Feishu does not let you read 1 of the selected documents/,
    );
    const copyForeign = await request(server)
      .post(`${api}/migrations`)
      .set('authorization', as(CONTRACTOR))
      .send({
        entityRef: ref,
        spaceId: billing.space.spaceId,
        nodeTokens: [billing.nodes[0].nodeToken],
        options: DEFAULT_CONVERSION_OPTIONS,
        target: DEFAULT_TARGET_STRUCTURE,
      });
    expect(copyForeign.status).toBe(403);

    const body = {
      entityRef: ref,
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
      /need an approval from group:default\/team-platform: request one on the Access & approvals page/,
    );
    expect((await browse()).status).toBe(403);

    // Rolling their finished job back needs a fresh approval too.
    const job = await waitForJob(first.body.id, ['completed', 'failed'], {
      user: CONTRACTOR,
    });
    expect(job.status).toBe('completed');
    const rollback = () =>
      request(server)
        .post(`${api}/migrations/${job.id}/rollback`)
        .set('authorization', as(CONTRACTOR));
    expect((await rollback()).status).toBe(403);
    await approve(CONTRACTOR, ref);
    expect((await rollback()).status).toBe(202);
  });

  it('only admins preview for someone Feishu does not know by e-mail', async () => {
    const { nodes } = await teamSpace('Billing');
    const send = (user: string) =>
      request(server)
        .post(`${api}/preview`)
        .set('authorization', as(user))
        .send({
          entityRef: 'component:default/invoice-service',
          nodeToken: nodes[0].nodeToken,
          options: DEFAULT_CONVERSION_OPTIONS,
        });
    expect((await send(ADMIN)).status).toBe(200);
    expect((await send('user:default/hana-sato')).status).toBe(200);
    const unknown = await send(NEW_HIRE);
    expect(unknown.status).toBe(403);
    expect(unknown.body.error.message).toMatch(
      /Feishu does not know you by the e-mail noor.ali@quillstack.example.*only admins can preview/,
    );
  });

  it('lists and shows only jobs of services the caller may read in the catalog', async () => {
    const ref = 'component:default/payment-gateway';
    const { space, nodes } = await teamSpace('Payments', ref, ADMIN);
    const created = await request(server)
      .post(`${api}/migrations`)
      .set('authorization', as(ADMIN))
      .send({
        entityRef: ref,
        spaceId: space.spaceId,
        nodeTokens: [nodes[0].nodeToken],
        options: DEFAULT_CONVERSION_OPTIONS,
        target: DEFAULT_TARGET_STRUCTURE,
      });
    expect(created.status).toBe(202);
    const id = created.body.id;
    await waitForJob(id, ['completed', 'failed']);

    const listed = async (user: string) =>
      (
        await request(server)
          .get(`${api}/migrations?limit=100`)
          .set('authorization', as(user))
      ).body;
    const asAdmin = await listed(ADMIN);
    expect(asAdmin.items.map((j: any) => j.id)).toContain(id);
    const asContractor = await listed(CONTRACTOR);
    expect(asContractor.items.map((j: any) => j.entityRef)).not.toContain(ref);
    expect(asContractor.totalItems).toBe(asContractor.items.length);
    for (const route of [`/migrations/${id}`, `/migrations/${id}/validation`]) {
      const res = await request(server)
        .get(`${api}${route}`)
        .set('authorization', as(CONTRACTOR));
      expect(res.status).toBe(404);
    }
    const filtered = await request(server)
      .get(`${api}/migrations?entityRef=${ref}`)
      .set('authorization', as(CONTRACTOR));
    expect(filtered.body).toEqual({ items: [], totalItems: 0 });

    // An agent acting for the person sees exactly what the person sees.
    const invoke = (user: string, action: string, input: object) =>
      request(server)
        .post(
          `${api}/.backstage/actions/v1/actions/feishu-migration:${action}/invoke`,
        )
        .set('authorization', as(user))
        .send(input);
    const adminList = await invoke(ADMIN, 'list-feishu-migrations', {
      entityRef: ref,
    });
    expect(adminList.status).toBe(200);
    expect(adminList.body.output.migrations.map((j: any) => j.id)).toEqual([
      id,
    ]);
    const contractorList = await invoke(CONTRACTOR, 'list-feishu-migrations', {
      entityRef: ref,
    });
    expect(contractorList.body.output).toEqual({
      migrations: [],
      totalItems: 0,
    });
    const report = await invoke(CONTRACTOR, 'get-feishu-migration-report', {
      id,
    });
    expect(report.status).toBe(404);
    const adminReport = await invoke(ADMIN, 'get-feishu-migration-report', {
      id,
    });
    expect(adminReport.body.output).toMatchObject({
      pagesChecked: expect.any(Number),
      problems: expect.any(Array),
    });
  });
});

describe('feishu-migration under a permission policy that denies', () => {
  it('refuses to browse or migrate without feishu-migration.migration.run, even for an admin', async () => {
    const sandbox = await startSandbox({
      ports: Object.fromEntries(UPSTREAMS.map(u => [u, 0])),
    });
    const backend = await startPortal(
      sandbox,
      { delivery: 'local-folder', localDirectory: os.tmpdir() },
      demoEntities(),
      AuthorizeResult.DENY,
    );
    try {
      const spaces = await request(backend.server)
        .get(`${api}/spaces?entityRef=component:default/invoice-service`)
        .set('authorization', as(ADMIN));
      expect(spaces.status).toBe(403);
      expect(spaces.body.error.message).toContain(
        'the permission policy does not grant feishu-migration.migration.run on component:default/invoice-service',
      );
      const start = await request(backend.server)
        .post(`${api}/migrations`)
        .set('authorization', as(ADMIN))
        .send({
          entityRef: 'component:default/invoice-service',
          spaceId: 'any',
          nodeTokens: ['any'],
          options: DEFAULT_CONVERSION_OPTIONS,
          target: DEFAULT_TARGET_STRUCTURE,
        });
      expect(start.status).toBe(403);
    } finally {
      await backend.stop();
      await sandbox.stop();
    }
  });
});

describe('feishu-migration pull-request delivery', () => {
  let sandbox: RunningSandbox;
  let server: any;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    sandbox = await startSandbox({
      ports: Object.fromEntries(UPSTREAMS.map(u => [u, 0])),
    });
    const entities = demoEntities().map(e =>
      e.metadata.name === 'tax-calculator'
        ? {
            ...e,
            // Owned by team-billing, defined in its own repository, but pointed at the payments repository.
            metadata: {
              ...e.metadata,
              annotations: {
                ...e.metadata.annotations,
                'github.com/project-slug': 'quillstack/payment-gateway',
              },
            },
          }
        : e,
    );
    const backend = await startPortal(
      sandbox,
      { delivery: 'pull-request' },
      entities,
    );
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(async () => {
    await stop();
    await sandbox.stop();
  });

  async function start(user: string, entityRef: string) {
    const spaces = await request(server)
      .get(`${api}/spaces?entityRef=${entityRef}`)
      .set('authorization', as(user));
    const space = spaces.body.items.find((s: any) =>
      s.name.startsWith('Billing'),
    );
    const nodes = await request(server)
      .get(`${api}/spaces/${space.spaceId}/nodes?entityRef=${entityRef}`)
      .set('authorization', as(user));
    return request(server)
      .post(`${api}/migrations`)
      .set('authorization', as(user))
      .send({
        entityRef,
        spaceId: space.spaceId,
        nodeTokens: [nodes.body.items[0].nodeToken],
        options: DEFAULT_CONVERSION_OPTIONS,
        target: DEFAULT_TARGET_STRUCTURE,
      });
  }

  it("opens the pull request only in the entity's own repository", async () => {
    const pointedElsewhere = await start(
      DEVELOPER,
      'component:default/tax-calculator',
    );
    expect(pointedElsewhere.status).toBe(403);
    expect(pointedElsewhere.body.error.message).toMatch(
      /names quillstack\/payment-gateway, but tax-calculator is defined in quillstack\/tax-calculator/,
    );
    const own = await start(DEVELOPER, 'component:default/invoice-service');
    expect(own.status).toBe(202);
    expect(own.body.destination).toBe('quillstack/invoice-service');
  });

  it('needs write access to the repository on GitHub', async () => {
    // An admin of the portal who is not in team-billing reads the repository but may not push to it.
    const res = await start(ADMIN, 'component:default/invoice-service');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /alicenguyen may not push to quillstack\/invoice-service on GitHub \(read\)/,
    );
  });
});
