/* eslint-disable no-console */
// yarn test:scale: the portal on two production-built replicas behind HAProxy, on one PostgreSQL, with the
// sandbox's upstreams; runs every scenario, prints what it checked, fails on any violation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox } from '@internal/sandbox';
import { startCluster } from './cluster';
import { prepareProductionApp } from './productionApp';
import { Check, printTable } from './report';
import { approvalConsumedOnce } from './scenarios/approvals';
import { dumpCluster, restoreAndCompare } from './scenarios/backup';
import {
  ENGINEER,
  migrationSurvivesLosingItsReplica,
} from './scenarios/migration';
import { rollingRestartLosesNothing } from './scenarios/rollingRestart';
import { scheduledTasksRunOnce } from './scenarios/scheduledTasks';

const WINDOW_SECONDS = Number(process.env.SCALE_WINDOW_SECONDS ?? 150);
const LOAD_SECONDS = Number(process.env.SCALE_LOAD_SECONDS ?? 60);

async function main() {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-'));
  const backendDir = prepareProductionApp(path.join(workDir, 'app'));
  // The archive space of the 500-document benchmark, as the migration to survive losing its replica; a rate
  // limit as Feishu's own makes each half of it last long enough for a replica to restart and follow it.
  const sandbox = await startSandbox({
    feishuArchiveDocuments: 500,
    feishuRequestsPerSecond: 25,
  });
  const checks: Check[] = [];
  let cluster;
  try {
    const running = await startCluster({ backendDir, workDir });
    cluster = running;
    console.log(
      `two replicas (${cluster.replicas.a.url}, ${cluster.replicas.b.url}) behind ${cluster.balancer.url}; logs in ${workDir}`,
    );
    checks.push(...(await approvalConsumedOnce(running)));
    checks.push(...(await scheduledTasksRunOnce(running, WINDOW_SECONDS)));
    checks.push(...(await rollingRestartLosesNothing(running, LOAD_SECONDS)));
    // From here on, the engineer who migrates the archive signs in.
    running.signInAs(ENGINEER);
    const migration = await migrationSurvivesLosingItsReplica(running, () =>
      dumpCluster(running, path.join(workDir, 'backup')),
    );
    checks.push(...migration.checks);
    checks.push(...(await restoreAndCompare(running, migration.whileRunning)));
  } finally {
    await cluster?.stop();
    await sandbox.stop();
  }
  printTable(checks);
  const violations = checks.filter(c => !c.ok).length;
  console.log(
    violations
      ? `${violations} of ${checks.length} checks VIOLATED`
      : `all ${checks.length} checks hold`,
  );
  if (!violations) fs.rmSync(workDir, { recursive: true, force: true });
  process.exit(violations ? 1 : 0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
