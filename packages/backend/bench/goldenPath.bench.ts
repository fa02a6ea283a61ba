/* eslint-disable no-console */
// Time from "Create" (POST /api/scaffolder/v2/tasks for the Go golden path) to the new component being
// served by the catalog's GET /api/catalog/entities/by-name, on the development backend with the sandbox's
// GitHub and Argo CD. Beside it, in the same run, the dry-run of the same template (rendering the files
// only), so the ratio shows what publishing, registering and catalog processing add.
// Target: < 60 s in the sandbox (the design asks registration within 5 minutes).
// Run from the repository root: yarn bench:golden-paths  (BENCH_RUNS, default 3)
import {
  loadTemplate,
  templateDirectoryContents,
} from '@internal/plugin-scaffolder-backend-module-golden-paths';
import { startSandbox } from '@internal/sandbox';
import { startDevelopmentBackend, until } from './developmentBackend';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const sandbox = await startSandbox();
  const { base, token, stop } = await startDevelopmentBackend(7419);
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
  const values = (name: string) => ({
    name,
    description: 'A service created by the golden-path benchmark.',
    owner: 'group:default/team-platform',
    system: 'system:default/platform',
    lifecycle: 'experimental',
  });
  await until(async () => {
    const res = await fetch(
      `${base}/api/catalog/entities/by-name/template/default/go-service`,
      { headers },
    );
    return res.ok ? true : undefined;
  }, 'the Go template in the catalog');

  const dryRuns: number[] = [];
  const creates: number[] = [];
  const suffix = Date.now().toString(36);
  for (let run = 0; run < RUNS; run++) {
    let started = Date.now();
    const dry = await fetch(`${base}/api/scaffolder/v2/dry-run`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        template: loadTemplate('go-service'),
        values: values(`bench-dry-${run}`),
        directoryContents: templateDirectoryContents('go-service'),
      }),
    });
    if (!dry.ok)
      throw new Error(`dry-run answered ${dry.status}: ${await dry.text()}`);
    dryRuns.push((Date.now() - started) / 1000);

    const name = `bench-${suffix}-${run}`;
    started = Date.now();
    const created = await fetch(`${base}/api/scaffolder/v2/tasks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        templateRef: 'template:default/go-service',
        values: values(name),
      }),
    });
    if (!created.ok)
      throw new Error(
        `create answered ${created.status}: ${await created.text()}`,
      );
    const { id } = await created.json();
    const taskDone = await until(async () => {
      const task = await (
        await fetch(`${base}/api/scaffolder/v2/tasks/${id}`, { headers })
      ).json();
      if (task.status === 'failed') throw new Error(`task ${id} failed`);
      return task.status === 'completed'
        ? (Date.now() - started) / 1000
        : undefined;
    }, `task ${id}`);
    const visible = await until(async () => {
      const res = await fetch(
        `${base}/api/catalog/entities/by-name/component/default/${name}`,
        { headers },
      );
      return res.ok ? (Date.now() - started) / 1000 : undefined;
    }, `${name} in the catalog`);
    creates.push(visible);
    console.log(
      `run ${run + 1}: task done ${taskDone.toFixed(
        1,
      )} s, entity visible ${visible.toFixed(
        1,
      )} s after Create; dry-run ${dryRuns[run].toFixed(2)} s`,
    );
  }
  const create = median(creates);
  const dry = median(dryRuns);
  console.log(
    `Create → visible in the catalog: median ${create.toFixed(
      1,
    )} s over ${RUNS} runs (target < 60 s); ` +
      `dry-run of the same template ${dry.toFixed(2)} s; ratio ${(
        create / dry
      ).toFixed(1)}x`,
  );
  await stop();
  await sandbox.stop();
  process.exit(create < 60 ? 0 : 1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
