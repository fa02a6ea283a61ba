import {
  DEFAULT_CONVERSION_OPTIONS,
  DEFAULT_TARGET_STRUCTURE,
} from '@internal/plugin-feishu-migration-common';
import fs from 'node:fs';
import path from 'node:path';
import { Knex } from 'knex';
import { Cluster, until } from '../cluster';
import { connect } from '../database';
import { Check } from '../report';
import { SignalWatchers } from './signalWatchers';

/**
 * Who migrates: an engineer of team-billing, owner of invoice-service, whom Feishu lets read the archive
 * (its pages are shared with the engineering department).
 */
export const ENGINEER = 'user:default/erik-larsen';
const TARGET = 'component:default/invoice-service';

/** The moments the harness logs: a row of `table` turning `when`, named by its `item` column. */
const LOGGED_TRANSITIONS = {
  converted: {
    table: 'feishu_migration_documents',
    column: 'status',
    when: "NEW.status = 'converted' AND OLD.status IS DISTINCT FROM 'converted'",
    item: 'node_token',
  },
  written: {
    table: 'feishu_migration_files',
    column: 'written',
    when: 'NEW.written AND NOT OLD.written',
    item: 'path',
  },
} as const;

/**
 * Logs, in the plugin's own database, each time a document becomes converted and each time a file is marked
 * written into the service's folder, and on which replica (the connection's application_name).
 */
async function logConversionsAndWrites(feishu: Knex) {
  await feishu.raw(`
    CREATE TABLE IF NOT EXISTS scale_migration_log (
      job_id text NOT NULL,
      what text NOT NULL,
      item text NOT NULL,
      replica text NOT NULL,
      at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`);
  for (const [what, { table, column, when, item }] of Object.entries(
    LOGGED_TRANSITIONS,
  )) {
    await feishu.raw(`
      CREATE OR REPLACE FUNCTION scale_log_${what}() RETURNS trigger AS $$
      BEGIN
        IF ${when} THEN
          INSERT INTO scale_migration_log (job_id, what, item, replica)
          VALUES (NEW.job_id, '${what}', NEW.${item}, current_setting('application_name'));
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await feishu.raw(`
      CREATE OR REPLACE TRIGGER scale_log_${what}
      AFTER UPDATE OF ${column} ON ${table}
      FOR EACH ROW EXECUTE FUNCTION scale_log_${what}()`);
  }
}

type Logged = { item: string; replica: string; at: Date };

const logged = (
  feishu: Knex,
  jobId: string,
  what: keyof typeof LOGGED_TRANSITIONS,
): Promise<Logged[]> =>
  feishu('scale_migration_log')
    .where({ job_id: jobId, what })
    .select('item', 'replica', 'at');

/** How many items were logged once, and how many more than once. */
function onceAndMore(log: Logged[]) {
  const counts = new Map<string, number>();
  for (const entry of log) {
    counts.set(entry.item, (counts.get(entry.item) ?? 0) + 1);
  }
  const values = [...counts.values()];
  return {
    distinct: counts.size,
    more: values.filter(n => n > 1).length,
  };
}

async function api<T>(
  url: string,
  token: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) {
    throw new Error(`${init.method ?? 'GET'} ${url}: ${await res.text()}`);
  }
  return (await res.json()) as T;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;

/**
 * The archive space's migration, started through replica A as the engineer; A is killed (SIGKILL) once
 * half the documents are converted; B resumes it when A's lease runs out, and A comes back (as Kubernetes
 * restarts a pod). Browsers connected through the balancer, pinned to one replica each, follow its progress
 * signals: one on B while A converts, one on A while B does, and one round robin throughout.
 * `whileRunning` runs once B has taken the job over (the backup is taken then).
 */
export async function migrationSurvivesLosingItsReplica<T>(
  cluster: Cluster,
  whileRunning: () => Promise<T>,
): Promise<{ checks: Check[]; whileRunning: T }> {
  const { a } = cluster.replicas;
  const token = await cluster.guestToken(ENGINEER);
  const feishu = connect(cluster.databaseOf('feishu-migration'));
  const watchers = await SignalWatchers.launch(cluster.balancer.url, token);
  try {
    await logConversionsAndWrites(feishu);
    const query = `entityRef=${encodeURIComponent(TARGET)}`;
    const { items: spaces } = await api<{
      items: Array<{ spaceId: string; name: string }>;
    }>(`${a.url}/api/feishu-migration/spaces?${query}`, token);
    const archive = spaces.find(space => space.name.includes('Archive'));
    if (!archive) throw new Error('the sandbox has no archive space');
    const { items: nodes } = await api<{ items: Array<{ nodeToken: string }> }>(
      `${a.url}/api/feishu-migration/spaces/${archive.spaceId}/nodes?${query}`,
      token,
    );
    const job = await api<{ id: string; documentsTotal: number }>(
      `${a.url}/api/feishu-migration/migrations`,
      token,
      {
        method: 'POST',
        body: {
          entityRef: TARGET,
          spaceId: archive.spaceId,
          nodeTokens: nodes.map(node => node.nodeToken),
          options: DEFAULT_CONVERSION_OPTIONS,
          target: DEFAULT_TARGET_STRUCTURE,
        },
      },
    );
    const total = job.documentsTotal;
    const channel = `feishu-migration:${job.id}`;
    const onB = await watchers.watch(channel, 'b');
    const roundRobin = await watchers.watch(channel);

    // Half way, A goes without a word: no drain, no lease released.
    const atKill = await until(async () => {
      const converted = (await logged(feishu, job.id, 'converted')).length;
      return converted >= total / 2 ? converted : undefined;
    }, 'half the documents converted on A');
    await a.stop('SIGKILL');
    const killedAt = Date.now();
    const fromA = (await onB.received()).filter(s => s.at < killedAt);

    const resumedAt = await until(
      async () => {
        const onReplicaB = (await logged(feishu, job.id, 'converted')).filter(
          c => c.replica === 'replica-b',
        );
        return onReplicaB.length > 0
          ? Math.min(...onReplicaB.map(c => c.at.getTime()))
          : undefined;
      },
      'replica B to resume the migration',
      240_000,
    );
    const backup = whileRunning();
    await a.start();
    await cluster.balancer.untilUp('a');
    const onA = await watchers.watch(channel, 'a');
    const finished = await until(
      async () => {
        const current = await api<{ status: string }>(
          `${cluster.balancer.url}/api/feishu-migration/migrations/${job.id}`,
          token,
        );
        return ['completed', 'failed'].includes(current.status)
          ? current
          : undefined;
      },
      'the migration to finish',
      480_000,
    );
    const fromB = await onA.received();
    const throughout = await roundRobin.received();

    const conversions = await logged(feishu, job.id, 'converted');
    const converted = onceAndMore(conversions);
    const byReplica = (name: string) =>
      conversions.filter(c => c.replica === `replica-${name}`).length;
    const [{ count: startedAgain }] = await feishu('feishu_migration_documents')
      .where({ job_id: job.id })
      .where('attempts', '>', 1)
      .count({ count: '*' });
    const { target: destination } = await feishu('feishu_migration_jobs')
      .where({ id: job.id })
      .first('target');
    const files = (await feishu('feishu_migration_files')
      .where({ job_id: job.id })
      .select('path', 'content')) as Array<{ path: string; content: Buffer }>;
    const written = onceAndMore(await logged(feishu, job.id, 'written'));
    // What the service's folder holds is what the job converted, file for file.
    const differing = files.filter(file => {
      const target = path.join(destination, file.path);
      return (
        !fs.existsSync(target) || !fs.readFileSync(target).equals(file.content)
      );
    }).length;
    const lastSeen = throughout.at(-1)?.message as
      | { status?: string }
      | undefined;

    return {
      whileRunning: await backup,
      checks: [
        {
          scenario: 'migration',
          what: `archive space (${total} documents) started on A, A killed (SIGKILL) half way, B resumes`,
          figure: `killed at ${atKill}/${total} converted; B resumed ${seconds(
            resumedAt - killedAt,
          )} later (A's lease); job ${finished.status}`,
          ok: finished.status === 'completed',
        },
        {
          scenario: 'migration',
          what: 'every document converted exactly once',
          figure: `${converted.distinct}/${total} converted (${byReplica(
            'a',
          )} on A, ${byReplica('b')} on B), ${
            converted.more
          } more than once; ${startedAgain} in flight at the kill were started again`,
          ok: converted.distinct === total && converted.more === 0,
        },
        {
          scenario: 'migration',
          what: "delivered exactly once into the service's docs folder",
          figure: `${written.distinct}/${files.length} files written, ${
            written.more
          } more than once; ${files.length - differing}/${
            files.length
          } on disk as converted`,
          ok:
            files.length > total &&
            written.distinct === files.length &&
            written.more === 0 &&
            differing === 0,
        },
        {
          scenario: 'signals',
          what: 'Chromium through the balancer gets progress whichever replica emits it',
          figure: `on B: ${fromA.length} events emitted by A; on A (restarted): ${fromB.length} emitted by B; round robin: ${throughout.length}, last "${lastSeen?.status}"`,
          ok:
            fromA.length > 0 &&
            fromB.length > 0 &&
            lastSeen?.status === finished.status,
        },
      ],
    };
  } finally {
    await watchers.close();
    await feishu.destroy();
  }
}
