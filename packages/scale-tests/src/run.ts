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
import { rollingRestartLosesNothing } from './scenarios/rollingRestart';
import { scheduledTasksRunOnce } from './scenarios/scheduledTasks';

const WINDOW_SECONDS = Number(process.env.SCALE_WINDOW_SECONDS ?? 150);
const LOAD_SECONDS = Number(process.env.SCALE_LOAD_SECONDS ?? 60);

async function main() {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-'));
  const backendDir = prepareProductionApp(path.join(workDir, 'app'));
  const sandbox = await startSandbox();
  const checks: Check[] = [];
  let cluster;
  try {
    cluster = await startCluster({ backendDir, workDir });
    console.log(
      `two replicas (${cluster.replicas.a.url}, ${cluster.replicas.b.url}) behind ${cluster.balancer.url}; logs in ${workDir}`,
    );
    checks.push(...(await approvalConsumedOnce(cluster)));
    checks.push(...(await scheduledTasksRunOnce(cluster, WINDOW_SECONDS)));
    checks.push(...(await rollingRestartLosesNothing(cluster, LOAD_SECONDS)));
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
