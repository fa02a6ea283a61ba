/* eslint-disable no-console */
// GET /api/security/access/me for a signed-in user the catalog does not know (the development guest),
// against the catalog's own GET /api/catalog/entities/by-name in the same run, on the development
// backend (app-config.yaml, SQLite, every plugin, the real permission backend and security policy).
// 50 connections for 10 s each. Prints req/s and latency percentiles of both and the ratio.
// Run from the repository root: yarn bench:access
import path from 'node:path';
import autocannon from 'autocannon';
import { createBackend } from '@backstage/backend-defaults';
import { backendFeatures } from '../src/features';

const PORT = 7417;
const BASE = `http://127.0.0.1:${PORT}`;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);

async function until<T>(read: () => Promise<T | undefined>, what: string) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

function load(url: string, token: string) {
  return autocannon({
    url,
    connections: 50,
    duration: DURATION_S,
    headers: { authorization: `Bearer ${token}` },
  });
}

function describe(name: string, result: autocannon.Result) {
  const { latency, requests, non2xx, errors } = result;
  return `${name.padEnd(40)} ${requests.average
    .toFixed(0)
    .padStart(6)} req/s  p50 ${String(latency.p50).padStart(
    4,
  )} ms  p97.5 ${String(latency.p97_5).padStart(4)} ms  p99 ${String(
    latency.p99,
  ).padStart(4)} ms  non-2xx ${non2xx}  errors ${errors}`;
}

async function main() {
  // The backend reads app-config.yaml from its working directory and resolves file locations from
  // packages/backend, as `yarn start` does.
  process.chdir(path.resolve(__dirname, '..'));
  process.argv.push('--config', '../../app-config.yaml');
  // As `yarn start` runs it (the guest provider only signs in during development).
  process.env.NODE_ENV = 'development';
  process.env.APP_CONFIG_backend_baseUrl = BASE;
  process.env.APP_CONFIG_backend_listen_port = String(PORT);
  const backend = createBackend();
  for (const feature of backendFeatures) backend.add(feature);
  await backend.start();

  const token = await until(async () => {
    const res = await fetch(`${BASE}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    const body = await res.json();
    return body?.backstageIdentity?.token as string | undefined;
  }, 'a guest token');
  const byName = `${BASE}/api/catalog/entities/by-name/component/default/invoice-service`;
  await until(async () => {
    const res = await fetch(byName, {
      headers: { authorization: `Bearer ${token}` },
    });
    return res.ok ? true : undefined;
  }, 'the demo catalog');
  const accessMe = `${BASE}/api/security/access/me`;
  const me = await (
    await fetch(accessMe, { headers: { authorization: `Bearer ${token}` } })
  ).json();
  console.log(`access/me answers for ${me.userRef} (${me.role})`);

  // Warm up both, then measure one after the other on the same backend.
  await load(byName, token);
  await load(accessMe, token);
  const catalog = await load(byName, token);
  const access = await load(accessMe, token);
  console.log(describe('GET /api/catalog/entities/by-name', catalog));
  console.log(describe('GET /api/security/access/me (unknown user)', access));
  console.log(
    `access/me vs by-name: ${(
      access.requests.average / catalog.requests.average
    ).toFixed(2)}x throughput (target >= 1.0x)`,
  );
  await backend.stop();
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
