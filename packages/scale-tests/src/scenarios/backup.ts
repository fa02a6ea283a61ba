import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { TEST_POSTGRES } from '@internal/test-utils';
import { Cluster } from '../cluster';
import { connect, databasesWithPrefix } from '../database';
import { Check } from '../report';

const run = promisify(execFile);

/**
 * Who checks the restored portal: an admin of team-platform, who may read the audit trail and every
 * migration, and approves contractors' requests.
 */
const ADMIN = 'user:default/alice-nguyen';

/** What the portal held just before the dump began: everything here must be in the restored one. */
interface Held {
  jobs: string[];
  approvals: Array<{ id: string; status: string }>;
  audit: string[];
  entities: string[];
}

export interface Backup {
  dir: string;
  /** Plugin ids whose databases were dumped. */
  plugins: string[];
  bytes: number;
  dumpMs: number;
  held: Held;
}

const connectionArgs = () => {
  const url = new URL(TEST_POSTGRES);
  return [
    '-h',
    url.hostname,
    '-p',
    url.port || '5432',
    '-U',
    decodeURIComponent(url.username),
  ];
};

async function heldBy(cluster: Cluster): Promise<Held> {
  const read = async <T>(pluginId: string, query: (db: any) => Promise<T>) => {
    const db = connect(cluster.databaseOf(pluginId));
    try {
      return await query(db);
    } finally {
      await db.destroy();
    }
  };
  return {
    jobs: await read('feishu-migration', db =>
      db('feishu_migration_jobs').pluck('id'),
    ),
    approvals: await read('security', db =>
      db('security_approvals').select('id', 'status'),
    ),
    audit: await read('security', db =>
      db('security_audit_events').pluck('id'),
    ),
    entities: await read('catalog', db =>
      db('final_entities').whereNotNull('final_entity').pluck('entity_ref'),
    ),
  };
}

/**
 * `pg_dump` of every database of the cluster (one per plugin), in PostgreSQL's custom format, while the
 * replicas work on. What the databases held just before is recorded to compare with the restore.
 */
export async function dumpCluster(
  cluster: Cluster,
  dir: string,
): Promise<Backup> {
  fs.mkdirSync(dir, { recursive: true });
  const held = await heldBy(cluster);
  const started = Date.now();
  const databases = await databasesWithPrefix(cluster.databasePrefix);
  const plugins = databases.map(name =>
    name.slice(cluster.databasePrefix.length),
  );
  for (const [index, database] of databases.entries()) {
    await run('pg_dump', [
      ...connectionArgs(),
      '-Fc',
      '-f',
      path.join(dir, `${plugins[index]}.dump`),
      database,
    ]);
  }
  const bytes = plugins
    .map(plugin => fs.statSync(path.join(dir, `${plugin}.dump`)).size)
    .reduce((sum, size) => sum + size, 0);
  return { dir, plugins, bytes, dumpMs: Date.now() - started, held };
}

async function pages<T>(
  url: string,
  token: string,
): Promise<{ items: T[]; status: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = new URL(url);
    if (cursor) page.searchParams.set('cursor', cursor);
    const res = await fetch(page, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) return { items, status: res.status };
    const body = await res.json();
    items.push(...body.items);
    cursor = body.nextCursor ?? body.pageInfo?.nextCursor;
  } while (cursor);
  return { items, status: 200 };
}

const missingFrom = (shown: Set<string>, held: string[]) =>
  held.filter(id => !shown.has(id)).length;

/** The recovery objective the seeds ask for. */
const RTO_MS = 60 * 60 * 1000;

/**
 * The cluster is lost: its replicas stop. The dump is restored into new databases, a backend of the same
 * build starts on them (as a recovery would), and an admin reads there the jobs, approvals, audit records and
 * catalog the original held.
 */
export async function restoreAndCompare(
  cluster: Cluster,
  backup: Backup,
): Promise<Check[]> {
  await Promise.all([cluster.replicas.a.stop(), cluster.replicas.b.stop()]);
  const restoredPrefix = `${cluster.databasePrefix}restored_`;
  const started = Date.now();
  const admin = connect('postgres');
  try {
    for (const plugin of backup.plugins) {
      await admin.raw('CREATE DATABASE ??', [`${restoredPrefix}${plugin}`]);
    }
  } finally {
    await admin.destroy();
  }
  for (const plugin of backup.plugins) {
    await run('pg_restore', [
      ...connectionArgs(),
      '--no-owner',
      '--exit-on-error',
      '-d',
      `${restoredPrefix}${plugin}`,
      path.join(backup.dir, `${plugin}.dump`),
    ]);
  }
  const restoredAt = Date.now();
  const backend = await cluster.startRestored(restoredPrefix, ADMIN);
  const readyAt = Date.now();
  try {
    const token = await cluster.guestToken(ADMIN, backend.url);
    const api = `${backend.url}/api`;
    const jobs = await pages<{ id: string }>(
      `${api}/feishu-migration/migrations?limit=100`,
      token,
    );
    const approvals = await pages<{ id: string; status: string }>(
      `${api}/security/approvals?view=inbox&limit=200`,
      token,
    );
    const audit = await pages<{ id: string }>(
      `${api}/security/audit?limit=500`,
      token,
    );
    const entities = await pages<{
      kind: string;
      metadata: { namespace: string; name: string };
    }>(
      `${api}/catalog/entities/by-query?limit=500&fields=kind,metadata.namespace,metadata.name`,
      token,
    );
    const { held } = backup;
    const shownApprovals = new Map(approvals.items.map(a => [a.id, a.status]));
    const approvalsDiffering = held.approvals.filter(
      a => shownApprovals.get(a.id) !== a.status,
    ).length;
    const missing = {
      jobs: missingFrom(new Set(jobs.items.map(j => j.id)), held.jobs),
      audit: missingFrom(new Set(audit.items.map(r => r.id)), held.audit),
      entities: missingFrom(
        new Set(
          entities.items.map(e =>
            `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLocaleLowerCase(
              'en-US',
            ),
          ),
        ),
        held.entities,
      ),
    };
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    return [
      {
        scenario: 'backup',
        what: `pg_dump of the ${backup.plugins.length} plugin databases while the migration runs`,
        figure: `${(backup.bytes / 1024 / 1024).toFixed(1)} MB in ${seconds(
          backup.dumpMs,
        )}`,
        ok: backup.plugins.length > 0,
      },
      {
        scenario: 'backup',
        what: 'restored into new databases, a backend on them shows what the original held',
        figure: `jobs ${held.jobs.length - missing.jobs}/${
          held.jobs.length
        }, approvals ${held.approvals.length - approvalsDiffering}/${
          held.approvals.length
        }, audit records ${held.audit.length - missing.audit}/${
          held.audit.length
        }, entities ${held.entities.length - missing.entities}/${
          held.entities.length
        }`,
        ok:
          [jobs, approvals, audit, entities].every(r => r.status === 200) &&
          held.jobs.length > 0 &&
          held.approvals.length > 0 &&
          missing.jobs + missing.audit + missing.entities === 0 &&
          approvalsDiffering === 0,
      },
      {
        scenario: 'backup',
        what: 'time to restore (pg_restore, then the backend ready), within the 1 h RTO',
        figure: `${seconds(readyAt - started)}: restore ${seconds(
          restoredAt - started,
        )}, backend ${seconds(readyAt - restoredAt)}`,
        ok: readyAt - started < RTO_MS,
      },
    ];
  } finally {
    await backend.stop();
  }
}
