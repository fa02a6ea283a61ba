import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ScmIntegrations } from '@backstage/integration';
import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_CONVERSION_OPTIONS,
  DEFAULT_TARGET_STRUCTURE,
  MigrationJob,
} from '@internal/plugin-feishu-migration-common';
import {
  RunningSandbox,
  SANDBOX_CREDENTIALS,
  startSandbox,
  UPSTREAMS,
} from '@internal/sandbox';
import { Octokit } from '@octokit/rest';
import { FeishuClient, WikiNode } from '../clients/FeishuClient';
import { DatabaseMigrationStore } from '../database/DatabaseMigrationStore';
import { MigrationStore } from '../database/MigrationStore';
import { upgradeFeishuMigrationSchema } from '../database/schema';
import { GithubPullRequestDelivery } from '../delivery/GithubPullRequestDelivery';
import { LocalFolderDelivery } from '../delivery/LocalFolderDelivery';
import { planMigration } from '../migration/planMigration';
import { MigrationRunner } from './MigrationRunner';

jest.setTimeout(120_000);

const FREE_PORTS = Object.fromEntries(UPSTREAMS.map(u => [u, 0]));
const ENTITY = 'component:default/invoice-service';
const REPO = 'quillstack/invoice-service';

describe('MigrationRunner', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  let sandbox: RunningSandbox;
  let feishu: FeishuClient;
  let handbook: { spaceId: string; name: string; tree: WikiNode[] };
  let octokit: Octokit;
  let integrations: ScmIntegrations;
  const dirs: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ ports: FREE_PORTS });
    feishu = new FeishuClient({
      baseUrl: sandbox.urls.feishu,
      appId: SANDBOX_CREDENTIALS.feishuAppId,
      appSecret: SANDBOX_CREDENTIALS.feishuAppSecret,
    });
    const spaces = await feishu.listSpaces();
    // The billing team's space: its home, a runbook per service (tables, images, code, callouts,
    // comments, mentions, links between runbooks) and nested ADRs.
    const billing = spaces.find(s => s.name.startsWith('Billing'))!;
    handbook = {
      spaceId: billing.space_id,
      name: billing.name,
      tree: await feishu.listNodeTree(billing.space_id),
    };
    integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: 'github.com',
              apiBaseUrl: sandbox.urls.github,
              token: SANDBOX_CREDENTIALS.githubToken,
            },
          ],
        },
      }),
    );
    octokit = new Octokit({
      auth: SANDBOX_CREDENTIALS.githubToken,
      baseUrl: sandbox.urls.github,
    });
  });
  afterAll(async () => {
    await sandbox.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function setup(
    id: Parameters<typeof databases.init>[0],
    overrides: {
      leaseMs?: number;
      onFinished?: (job: MigrationJob) => Promise<void>;
    } = {},
  ) {
    const knex = await databases.init(id);
    await upgradeFeishuMigrationSchema(knex);
    const store = new DatabaseMigrationStore(knex);
    const finished: MigrationJob[] = [];
    const runner = (owner: string) =>
      new MigrationRunner({
        store,
        feishu,
        logger: mockServices.logger.mock(),
        owner,
        deliveries: {
          'pull-request': new GithubPullRequestDelivery(integrations),
          'local-folder': new LocalFolderDelivery(),
        },
        permissionMapping: [{ feishuRole: 'view', backstageRole: 'viewer' }],
        leaseMs: overrides.leaseMs,
        onFinished:
          overrides.onFinished ??
          (async job => {
            finished.push(job);
          }),
      });
    return { knex, store, runner, finished };
  }

  async function createJob(
    store: DatabaseMigrationStore,
    delivery: MigrationJob['delivery'],
    destination: string,
  ) {
    const plan = planMigration(
      handbook.tree,
      new Set(handbook.tree.map(n => n.node_token)),
      DEFAULT_TARGET_STRUCTURE,
    );
    const id = `job-${Math.random().toString(36).slice(2)}`;
    await store.createJob(
      {
        id,
        entityRef: ENTITY,
        createdBy: 'user:default/erik-larsen',
        status: 'queued',
        spaceId: handbook.spaceId,
        spaceName: handbook.name,
        options: DEFAULT_CONVERSION_OPTIONS,
        target: DEFAULT_TARGET_STRUCTURE,
        delivery,
        destination,
        skipped: plan.skipped,
        documentsTotal: plan.documents.length,
        createdAt: new Date().toISOString(),
      },
      plan.documents,
    );
    return { id, plan };
  }

  function localRepo() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feishu-target-'));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'docs'));
    fs.writeFileSync(
      path.join(dir, 'mkdocs.yml'),
      '# Owned by the billing team\nsite_name: invoice-service\nnav:\n  - Overview: index.md\n',
    );
    fs.writeFileSync(path.join(dir, 'docs', 'index.md'), '# Invoice service\n');
    return dir;
  }

  function snapshot(dir: string): Record<string, string> {
    const files: Record<string, string> = {};
    const walk = (sub: string) => {
      for (const entry of fs.readdirSync(path.join(dir, sub), {
        withFileTypes: true,
      })) {
        const rel = path.join(sub, entry.name);
        if (entry.isDirectory()) walk(rel);
        else files[rel] = fs.readFileSync(path.join(dir, rel), 'base64');
      }
    };
    walk('');
    return files;
  }

  it.each(databases.eachSupportedId())(
    'migrates a wiki space into a local folder, validates it, and rollback restores the folder (%s)',
    async databaseId => {
      const { store, runner, finished } = await setup(databaseId);
      const dir = localRepo();
      const before = snapshot(dir);
      const { id, plan } = await createJob(store, 'local-folder', dir);

      await runner('replica-a').run(id);

      const job = (await store.getJob(id))!;
      expect(job).toMatchObject({
        status: 'completed',
        documentsConverted: plan.documents.length,
        documentsFailed: 0,
        mkdocsBuild: { status: 'passed' },
      });
      const documents = await store.listDocuments(id);
      expect(documents.filter(d => !d.validation?.ok)).toEqual([]);
      expect(documents.every(d => d.attempts === 1)).toBe(true);
      // Every page is a file, the wiki tree is mirrored as folders, images are in docs/assets.
      for (const doc of plan.documents) {
        expect(fs.existsSync(path.join(dir, doc.path))).toBe(true);
      }
      expect(plan.documents.some(d => d.path.endsWith('/index.md'))).toBe(true);
      expect(
        fs.readdirSync(path.join(dir, 'docs', 'assets')).length,
      ).toBeGreaterThan(0);
      const mkdocs = fs.readFileSync(path.join(dir, 'mkdocs.yml'), 'utf8');
      expect(mkdocs).toContain('# Owned by the billing team');
      expect(mkdocs).toContain('- Overview: index.md');
      expect(mkdocs).toContain('admonition');
      // The permission report names the team chat's members and the view rule.
      expect(job.permissionReport!.length).toBeGreaterThan(0);
      expect(
        job.permissionReport!.find(row => row.perm === 'view')?.backstageRole,
      ).toBe('viewer');
      expect(finished.map(j => j.status)).toEqual(['completed']);

      expect(await store.requestRollback(id)).toBe(true);
      await runner('replica-b').run(id);
      expect((await store.getJob(id))!.status).toBe('rolled_back');
      expect(snapshot(dir)).toEqual(before);
    },
  );

  it.each(databases.eachSupportedId())(
    'resumes after a crash mid-job without converting a page twice or losing one (%s)',
    async databaseId => {
      const { store, runner } = await setup(databaseId, { leaseMs: 300 });
      const dir = localRepo();
      const { id, plan } = await createJob(store, 'local-folder', dir);

      let current = 'replica-a';

      // Replica A dies while converting its first pages (4 in parallel): what is in flight finishes
      // saving, nothing else starts, and its lease is never released.
      const controller = new AbortController();
      const original = feishu.listDocumentBlocks.bind(feishu);
      const calls: string[] = [];
      const wrapped = jest
        .spyOn(feishu, 'listDocumentBlocks')
        .mockImplementation(async token => {
          calls.push(`${current}:${token}`);
          if (calls.length === 3) controller.abort();
          return original(token);
        });
      try {
        await runner('replica-a').run(id, controller.signal);
        const afterCrash = (await store.getJob(id))!;
        expect(afterCrash.status).toBe('converting');
        const convertedByA = (await store.listDocuments(id))
          .filter(d => d.status === 'converted')
          .map(d => d.objToken);
        expect(convertedByA.length).toBeGreaterThanOrEqual(2);
        expect(convertedByA.length).toBeLessThan(plan.documents.length);

        // While A's lease holds, nobody else may take the job.
        current = 'replica-b';
        expect(await runner('replica-b').run(id)).toBe(false);
        expect(await store.listAbandonedJobs(['converting'])).toEqual([]);

        await new Promise(resolve => setTimeout(resolve, 400));
        expect(await store.listAbandonedJobs(['converting'])).toEqual([id]);
        expect(await runner('replica-b').run(id)).toBe(true);

        const job = (await store.getJob(id))!;
        expect(job.status).toBe('completed');
        expect(job.documentsConverted).toBe(plan.documents.length);
        const fetchedByB = calls
          .filter(c => c.startsWith('replica-b:'))
          .map(c => c.slice('replica-b:'.length));
        // B converted only what A had not finished.
        expect(
          fetchedByB.filter(token => convertedByA.includes(token)),
        ).toEqual([]);
        // Nothing lost, nothing twice: one file per page, each page converted once.
        const documents = await store.listDocuments(id);
        expect(documents.map(d => d.status).every(s => s === 'converted')).toBe(
          true,
        );
        const pages = await store.listFiles(id, { kind: 'page' });
        expect(pages.map(p => p.path).sort()).toEqual(
          plan.documents.map(d => d.path).sort(),
        );
        for (const doc of plan.documents) {
          expect(fs.existsSync(path.join(dir, doc.path))).toBe(true);
        }
      } finally {
        wrapped.mockRestore();
      }
    },
  );

  it('a replica whose lease was taken over (a long GC pause, a network partition) stops, and the new holder finishes', async () => {
    const { knex, store, runner } = await setup('POSTGRES_15', {
      leaseMs: 300,
    });
    const dir = localRepo();
    const { id, plan } = await createJob(store, 'local-folder', dir);
    const original = feishu.listDocumentBlocks.bind(feishu);
    let calls = 0;
    const slow = jest
      .spyOn(feishu, 'listDocumentBlocks')
      .mockImplementation(async token => {
        calls++;
        if (calls === 2) {
          // Another run took the job while A was stalled (its lease had run out).
          await knex('feishu_migration_jobs')
            .where({ id })
            .update({
              lease_owner: 'replica-b',
              lease_token: 'a run on replica b',
              lease_expires_at: new Date(Date.now() - 1_000),
            });
        }
        await new Promise(resolve => setTimeout(resolve, 300));
        return original(token);
      });
    try {
      expect(await runner('replica-a').run(id)).toBe(true);
      const afterA = (await store.getJob(id))!;
      expect(afterA.status).toBe('converting');
      expect(afterA.documentsConverted).toBeLessThan(plan.documents.length);
      expect(await runner('replica-b').run(id)).toBe(true);
      const job = (await store.getJob(id))!;
      expect(job.status).toBe('completed');
      const pages = await store.listFiles(id, { kind: 'page' });
      expect(pages.map(p => p.path).sort()).toEqual(
        plan.documents.map(d => d.path).sort(),
      );
    } finally {
      slow.mockRestore();
    }
  });

  it('two runners on one PostgreSQL, one of them with a paused renewal: exactly one delivery', async () => {
    const { store } = await setup('POSTGRES_15');
    const dir = localRepo();
    const { id } = await createJob(store, 'local-folder', dir);
    // Long enough that a busy machine does not make either runner give up its lease on its own.
    const leaseMs = 2_000;
    const deliveries: string[] = [];
    let reachedValidation!: () => void;
    const validationReached = new Promise<void>(resolve => {
      reachedValidation = resolve;
    });
    let resumeA!: () => void;
    const aResumes = new Promise<void>(resolve => {
      resumeA = resolve;
    });
    const localFolder = new LocalFolderDelivery();
    const runnerOn = (
      owner: string,
      runnerStore: MigrationStore,
      beforeValidation: () => Promise<void>,
    ) =>
      new MigrationRunner({
        store: runnerStore,
        feishu,
        logger: mockServices.logger.mock(),
        owner,
        leaseMs,
        permissionMapping: [],
        deliveries: {
          'pull-request': new GithubPullRequestDelivery(integrations),
          'local-folder': {
            readExisting: async destination => {
              await beforeValidation();
              return localFolder.readExisting(destination);
            },
            deliver: async (job, files, records) => {
              deliveries.push(owner);
              return localFolder.deliver(job, files, records);
            },
            rollback: (job, files, records) =>
              localFolder.rollback(job, files, records),
          },
        },
      });
    // Once its pages are converted, replica A stalls (a long GC pause, a stalled connection): its renewals
    // stop coming back and it does nothing until its lease has long run out. Before that its renewals work,
    // so a slow machine cannot make A give up before it gets there.
    let renewalsPaused = false;
    const pausedRenewals: MigrationStore = Object.assign(Object.create(store), {
      claimJob: async (jobId: string, owner: string, ms: number) => {
        const leased = await store.claimJob(jobId, owner, ms);
        return (
          leased && {
            ...leased,
            renew: (renewMs: number) =>
              renewalsPaused
                ? new Promise<boolean>(() => {})
                : leased.renew(renewMs),
          }
        );
      },
    });
    const runA = runnerOn('replica-a', pausedRenewals, async () => {
      renewalsPaused = true;
      reachedValidation();
      await aResumes;
    }).run(id);
    await Promise.race([
      validationReached,
      runA.then(() => {
        throw new Error('replica A finished before it reached validation');
      }),
    ]);
    await new Promise(resolve => setTimeout(resolve, leaseMs + 200));

    const runnerB = runnerOn('replica-b', store, async () => undefined);
    expect(await runnerB.run(id)).toBe(true);
    expect((await store.getJob(id))!.status).toBe('completed');

    resumeA();
    expect(await runA).toBe(true);
    expect(deliveries).toEqual(['replica-b']);
    const job = (await store.getJob(id))!;
    expect(job.status).toBe('completed');
    expect(job.error).toBeUndefined();
  });

  it.each(databases.eachSupportedId())(
    'refuses to roll a local folder back over files changed since, and a retry resumes the rollback without delivering again (%s)',
    async databaseId => {
      const { store } = await setup(databaseId);
      const dir = localRepo();
      const before = snapshot(dir);
      const { id, plan } = await createJob(store, 'local-folder', dir);
      const localFolder = new LocalFolderDelivery();
      let deliveries = 0;
      const runner = new MigrationRunner({
        store,
        feishu,
        logger: mockServices.logger.mock(),
        owner: 'replica-a',
        permissionMapping: [],
        deliveries: {
          'pull-request': new GithubPullRequestDelivery(integrations),
          'local-folder': {
            readExisting: destination => localFolder.readExisting(destination),
            deliver: async (job, files, records) => {
              deliveries++;
              return localFolder.deliver(job, files, records);
            },
            rollback: (job, files, records) =>
              localFolder.rollback(job, files, records),
          },
        },
      });
      await runner.run(id);
      expect((await store.getJob(id))!.status).toBe('completed');
      expect(deliveries).toBe(1);

      // Someone edits a migrated page in the folder after the migration.
      const page = plan.documents[1].path;
      const written = fs.readFileSync(path.join(dir, page), 'utf8');
      fs.writeFileSync(path.join(dir, page), `${written}\nLocal notes.\n`);
      const edited = snapshot(dir);

      expect(await store.requestRollback(id)).toBe(true);
      await runner.run(id);
      const refused = (await store.getJob(id))!;
      expect(refused.status).toBe('failed');
      expect(refused.error).toContain(page);
      expect(refused.error).toContain('nothing was rolled back');
      expect(snapshot(dir)).toEqual(edited);

      // The edit is undone; the retry rolls back and does not deliver again.
      fs.writeFileSync(path.join(dir, page), written);
      expect(await store.retryFailed(id)).toBe(true);
      expect((await store.getJob(id))!.status).toBe('rolling_back');
      await runner.run(id);
      expect((await store.getJob(id))!.status).toBe('rolled_back');
      expect(deliveries).toBe(1);
      expect(snapshot(dir)).toEqual(before);
      expect(await store.retryFailed(id)).toBe(false);
    },
  );

  it('an audit trail that is down does not fail a finished migration', async () => {
    const { store, runner } = await setup('SQLITE_3', {
      onFinished: async () => {
        throw new Error('security backend unavailable');
      },
    });
    const { id } = await createJob(store, 'local-folder', localRepo());
    await runner('replica-a').run(id);
    expect((await store.getJob(id))!.status).toBe('completed');
  });

  it('opens one pull request even when delivery is repeated, and rollback closes it and deletes the branch', async () => {
    const { knex, store, runner } = await setup('POSTGRES_15');
    const { id, plan } = await createJob(store, 'pull-request', REPO);

    await runner('replica-a').run(id);
    const job = (await store.getJob(id))!;
    expect(job.status).toBe('completed');
    expect(job.pullRequestUrl).toMatch(
      /^https:\/\/github\.com\/quillstack\/invoice-service\/pull\/\d+$/,
    );
    const [owner, repo] = REPO.split('/');
    const branch = job.branch!;
    const head = await octokit.git.getRef({
      owner,
      repo,
      ref: `heads/${branch}`,
    });
    const commit = await octokit.git.getCommit({
      owner,
      repo,
      commit_sha: head.data.object.sha,
    });
    const tree = await octokit.git.getTree({
      owner,
      repo,
      tree_sha: commit.data.tree.sha,
    });
    const paths = tree.data.tree.map(entry => entry.path);
    for (const doc of plan.documents) expect(paths).toContain(doc.path);
    // The repository's own TechDocs are still there, and its nav gained the migrated pages.
    expect(paths).toContain('docs/runbook.md');
    const mkdocs = await octokit.repos.getContent({
      owner,
      repo,
      path: 'mkdocs.yml',
      ref: branch,
    });
    const mkdocsText = Buffer.from(
      (mkdocs.data as { content: string }).content,
      'base64',
    ).toString('utf8');
    expect(mkdocsText).toContain('- Runbook: runbook.md');
    expect(mkdocsText).toContain(plan.documents[0].title);

    // A replica that crashed after opening the PR delivers again: same branch, same single PR.
    await knex('feishu_migration_jobs')
      .where({ id })
      .update({ status: 'delivering' });
    await runner('replica-b').run(id);
    const open = await octokit.pulls.list({
      owner,
      repo,
      state: 'open',
      head: `${owner}:${branch}`,
    });
    expect(open.data.map(p => p.html_url)).toEqual([job.pullRequestUrl]);

    // As if the delivery had died before recording its PR: rollback still finds it by branch.
    await knex('feishu_migration_jobs')
      .where({ id })
      .update({ status: 'rolling_back', pull_request_number: null });
    await runner('replica-b').run(id);
    expect((await store.getJob(id))!.status).toBe('rolled_back');
    const closed = await octokit.pulls.get({
      owner,
      repo,
      pull_number: open.data[0].number,
    });
    expect(closed.data.state).toBe('closed');
    await expect(
      octokit.git.getRef({ owner, repo, ref: `heads/${branch}` }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
