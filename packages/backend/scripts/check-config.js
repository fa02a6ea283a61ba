#!/usr/bin/env node
// Validates app-config.yaml alone (the embedded default) and together with app-config.production.yaml,
// with the dummy values of production.env.example, against every plugin's config schema. Then checks
// that the merged production config points at no sandbox emulator and that every variable it reads is
// documented in production.env.example.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', '..');
const envFile = path.join(__dirname, '..', 'production.env.example');
const productionEnv = Object.fromEntries(
  fs
    .readFileSync(envFile, 'utf8')
    .split('\n')
    .filter(line => /^[A-Z0-9_]+=/.test(line))
    .map(line => [
      line.slice(0, line.indexOf('=')),
      line.slice(line.indexOf('=') + 1),
    ]),
);

function cli(args, env = {}) {
  return execFileSync('yarn', ['backstage-cli', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

const failures = [];

const referenced = new Set(
  [
    ...fs
      .readFileSync(path.join(root, 'app-config.production.yaml'), 'utf8')
      .matchAll(/\$\{([A-Z0-9_]+)\}/g),
  ].map(m => m[1]),
);
for (const name of referenced) {
  if (!(name in productionEnv)) {
    failures.push(
      `app-config.production.yaml reads \${${name}}, which packages/backend/production.env.example does not document`,
    );
  }
}

cli(['config:check', '--strict', '--config', 'app-config.yaml']);
console.log('config:check app-config.yaml: ok');

const production = [
  '--config',
  'app-config.yaml',
  '--config',
  'app-config.production.yaml',
];
cli(['config:check', '--strict', ...production], productionEnv);
console.log('config:check app-config.yaml + app-config.production.yaml: ok');

const merged = cli(
  ['config:print', '--with-secrets', '--format', 'json', ...production],
  productionEnv,
);
const sandboxHost =
  /(127\.0\.0\.1|localhost):71\d\d|sandbox-[a-z]+-(token|key|secret)/g;
const leaks = merged.match(sandboxHost);
if (leaks) {
  failures.push(
    `the production config still points at the sandbox: ${[
      ...new Set(leaks),
    ].join(', ')}`,
  );
}
const productionConfig = JSON.parse(merged);
if (
  productionConfig.auth?.providers?.guest?.dangerouslyAllowOutsideDevelopment
) {
  failures.push(
    'the production config must not allow guest sign-in outside development',
  );
}
if ((productionConfig.security?.users ?? []).length > 0) {
  failures.push(
    'the production config must not give single users roles (security.users): use catalog groups',
  );
}

if (failures.length > 0) {
  for (const failure of failures)
    console.error(`config check failed: ${failure}`);
  process.exit(1);
}
console.log(
  'production config: no sandbox endpoints or credentials, no guest sign-in, no per-user roles',
);
