/* eslint-disable no-console */
// A 500-document migration end to end against the sandbox Feishu emulator: plan, fetch, convert, download
// images, validate, mkdocs build and deliver into a folder, with job state in a real database.
// Target: under 60 s. Run: yarn workspace @internal/plugin-feishu-migration-backend bench
// Uses Postgres when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set, else SQLite in memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import {
  SANDBOX_CREDENTIALS,
  startSandbox,
  UPSTREAMS,
} from '@internal/sandbox';
import {
  DEFAULT_CONVERSION_OPTIONS,
  DEFAULT_TARGET_STRUCTURE,
} from '@internal/plugin-feishu-migration-common';
import { FeishuClient } from '../src/clients/FeishuClient';
import { DatabaseMigrationStore } from '../src/database/DatabaseMigrationStore';
import { upgradeFeishuMigrationSchema } from '../src/database/schema';
import { LocalFolderDelivery } from '../src/delivery/LocalFolderDelivery';
import { planMigration } from '../src/migration/planMigration';
import { MigrationRunner } from '../src/service/MigrationRunner';

const DOCUMENTS = 500;

async function main() {
  const sandbox = await startSandbox({
    ports: Object.fromEntries(UPSTREAMS.map(u => [u, 0])),
    feishuArchiveDocuments: DOCUMENTS,
  });
  const pg = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  const database = `feishu_bench_${Date.now()}`;
  let knex;
  if (pg) {
    const admin = knexFactory({ client: 'pg', connection: pg });
    await admin.raw(`CREATE DATABASE ${database}`);
    await admin.destroy();
    knex = knexFactory({
      client: 'pg',
      connection: `${pg.replace(/\/$/, '')}/${database}`,
    });
  } else {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feishu-bench-'));
  try {
    await upgradeFeishuMigrationSchema(knex);
    const store = new DatabaseMigrationStore(knex);
    const feishu = new FeishuClient({
      baseUrl: sandbox.urls.feishu,
      appId: SANDBOX_CREDENTIALS.feishuAppId,
      appSecret: SANDBOX_CREDENTIALS.feishuAppSecret,
    });
    const logger = {
      info() {},
      warn() {},
      error: console.error,
      debug() {},
      child: () => logger,
    } as any;
    const runner = new MigrationRunner({
      store,
      feishu,
      logger,
      owner: 'bench',
      deliveries: {
        'local-folder': new LocalFolderDelivery(),
        'pull-request': undefined as any,
      },
      permissionMapping: [],
    });

    const started = Date.now();
    const archive = (await feishu.listSpaces()).find(s =>
      s.name.includes('Archive'),
    )!;
    const tree = await feishu.listNodeTree(archive.space_id);
    const plan = planMigration(
      tree,
      new Set(tree.map(n => n.node_token)),
      DEFAULT_TARGET_STRUCTURE,
    );
    await store.createJob(
      {
        id: 'bench',
        entityRef: 'component:default/invoice-service',
        createdBy: 'user:default/bench',
        status: 'queued',
        spaceId: archive.space_id,
        spaceName: archive.name,
        options: DEFAULT_CONVERSION_OPTIONS,
        target: DEFAULT_TARGET_STRUCTURE,
        delivery: 'local-folder',
        destination: dir,
        skipped: plan.skipped,
        documentsTotal: plan.documents.length,
        createdAt: new Date().toISOString(),
      },
      plan.documents,
    );
    await runner.run('bench');
    const seconds = (Date.now() - started) / 1000;
    const job = (await store.getJob('bench'))!;
    const documents = await store.listDocuments('bench');
    const blocks = documents.length;
    const failedValidation = documents.filter(d => !d.validation?.ok).length;
    console.log(
      `migration: ${job.documentsConverted}/${job.documentsTotal} documents (${
        pg ? 'Postgres' : 'SQLite'
      }), status ${job.status}, mkdocs build ${job.mkdocsBuild?.status} in ${(
        (job.mkdocsBuild?.durationMs ?? 0) / 1000
      ).toFixed(1)} s, ${failedValidation} pages failing validation`,
    );
    console.log(
      `migration: ${seconds.toFixed(1)} s end to end, ${(
        blocks / seconds
      ).toFixed(0)} documents/s (target < 60 s for 500)`,
    );
    if (
      job.status !== 'completed' ||
      job.documentsConverted < DOCUMENTS ||
      seconds >= 60
    ) {
      process.exitCode = 1;
    }
  } finally {
    await knex.destroy();
    if (pg) {
      const admin = knexFactory({ client: 'pg', connection: pg });
      await admin.raw(`DROP DATABASE IF EXISTS ${database}`);
      await admin.destroy();
    }
    fs.rmSync(dir, { recursive: true, force: true });
    await sandbox.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
