import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_CATALOG_DIR } from '@internal/sandbox';

/** The repository root. */
export const REPO = path.resolve(DEFAULT_CATALOG_DIR, '..');

function run(command: string, args: string[], cwd: string) {
  try {
    execFileSync(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, YARN_ENABLE_PROGRESS_BARS: 'false' },
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    const output = `${stdout ?? ''}${stderr ?? ''}`.split('\n');
    throw new Error(
      `${command} ${args.join(' ')} failed:\n${output.slice(-40).join('\n')}`,
    );
  }
}

/**
 * The backend as production runs it (the Dockerfile's steps): `yarn build:backend`, the skeleton's
 * production dependencies installed with `yarn workspaces focus --all --production`, the bundle unpacked.
 * The demo catalog, templates and docs are linked in, so the development config's paths hold; the
 * backend is started from `packages/backend` as `yarn start` does. Returns that directory.
 */
export function prepareProductionApp(into: string): string {
  const started = Date.now();
  const dist = path.join(REPO, 'packages/backend/dist');
  // SCALE_REUSE_BUILD=1 takes the last build (while working on the scenarios themselves).
  if (
    !process.env.SCALE_REUSE_BUILD ||
    !fs.existsSync(path.join(dist, 'bundle.tar.gz'))
  ) {
    run('yarn', ['build:backend'], REPO);
  }
  fs.rmSync(into, { recursive: true, force: true });
  fs.mkdirSync(into, { recursive: true });
  for (const file of [
    '.yarnrc.yml',
    'backstage.json',
    'yarn.lock',
    'package.json',
  ]) {
    fs.copyFileSync(path.join(REPO, file), path.join(into, file));
  }
  fs.cpSync(path.join(REPO, '.yarn'), path.join(into, '.yarn'), {
    recursive: true,
    filter: source => !source.includes(`${path.sep}cache`),
  });
  run('tar', ['xzf', path.join(dist, 'skeleton.tar.gz')], into);
  run('yarn', ['workspaces', 'focus', '--all', '--production'], into);
  run('tar', ['xzf', path.join(dist, 'bundle.tar.gz')], into);
  for (const shared of ['catalog', 'templates', 'catalog-info.yaml']) {
    fs.symlinkSync(path.join(REPO, shared), path.join(into, shared));
  }
  for (const config of fs
    .readdirSync(REPO)
    .filter(f => /^app-config.*\.yaml$/.test(f))) {
    fs.copyFileSync(path.join(REPO, config), path.join(into, config));
  }
  console.log(
    `production build of the backend ready in ${Math.round(
      (Date.now() - started) / 1000,
    )} s`,
  );
  return path.join(into, 'packages/backend');
}
