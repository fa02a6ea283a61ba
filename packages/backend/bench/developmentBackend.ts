/* eslint-disable no-console */
// The development backend (app-config.yaml, SQLite, every plugin, the real permission backend and security
// policy) on a port of its own, a guest token, and autocannon runs: what every backend bench shares.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import autocannon from 'autocannon';
import { createBackend } from '@backstage/backend-defaults';
import { dropDatabasesWithPrefix, TEST_POSTGRES } from '@internal/test-utils';
import { backendFeatures } from '../src/features';

export const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);

export async function until<T>(
  read: () => Promise<T | undefined>,
  what: string,
) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

/**
 * 50 connections for DURATION_S seconds. `offThread` runs the load generator in a worker thread, so it
 * takes the second core instead of the backend's event loop.
 */
export function load(url: string, token: string, offThread = false) {
  return autocannon({
    url,
    connections: 50,
    duration: DURATION_S,
    headers: { authorization: `Bearer ${token}` },
    ...(offThread ? { workers: 1 } : {}),
  });
}

export function describe(name: string, result: autocannon.Result) {
  const { latency, requests, non2xx, errors } = result;
  return `${name.padEnd(44)} ${requests.average
    .toFixed(0)
    .padStart(6)} req/s  p50 ${String(latency.p50).padStart(
    4,
  )} ms  p97.5 ${String(latency.p97_5).padStart(4)} ms  p99 ${String(
    latency.p99,
  ).padStart(4)} ms  non-2xx ${non2xx}  errors ${errors}`;
}

/**
 * Starts the development backend on `port` and waits for the demo catalog; returns it with a guest token.
 * `extraConfigs` are loaded after app-config.yaml (absolute paths).
 */
export async function startDevelopmentBackend(
  port: number,
  extraConfigs: string[] = [],
) {
  const base = `http://127.0.0.1:${port}`;
  // The backend reads app-config.yaml from its working directory and resolves file locations from
  // packages/backend, as `yarn start` does.
  process.chdir(path.resolve(__dirname, '..'));
  process.argv.push('--config', '../../app-config.yaml');
  for (const file of extraConfigs) process.argv.push('--config', file);
  // As `yarn start` runs it (the guest provider only signs in during development).
  process.env.NODE_ENV = 'development';
  process.env.APP_CONFIG_backend_baseUrl = base;
  process.env.APP_CONFIG_backend_listen_port = String(port);
  const backend = createBackend();
  for (const feature of backendFeatures) backend.add(feature);
  await backend.start();
  const token = await until(async () => {
    const res = await fetch(`${base}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    const body = await res.json();
    return body?.backstageIdentity?.token as string | undefined;
  }, 'a guest token');
  const byName = `${base}/api/catalog/entities/by-name/component/default/invoice-service`;
  await until(async () => {
    const res = await fetch(byName, {
      headers: { authorization: `Bearer ${token}` },
    });
    return res.ok ? true : undefined;
  }, 'the demo catalog');
  return { base, token, byName, stop: () => backend.stop() };
}

export const BENCH_POSTGRES = TEST_POSTGRES;
/** Drops the databases a bench's backend made (backend.database.prefix), before and after a run. */
export const dropBenchDatabases = dropDatabasesWithPrefix;

/** Drops the databases a bench's backend made (backend.database.prefix), before and after a run. */

/** BENCH_PROFILE=file.cpuprofile records the backend's CPU profile while under load. */
export async function startProfiler() {
  const file = process.env.BENCH_PROFILE;
  if (!file) return { stop: async () => {} };
  const inspector = await import('node:inspector/promises');
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(profile));
    },
  };
}

/**
 * A config file for a bench's backend: PostgreSQL databases named with `prefix`, the demo catalog's
 * locations plus `catalogFile`, and `extra` settings; its path, to pass to startDevelopmentBackend.
 */
export function writeBenchConfig(
  dir: string,
  prefix: string,
  catalogFile: string,
  extra: Record<string, unknown> = {},
) {
  const base = parseYaml(
    fs.readFileSync(
      path.resolve(__dirname, '../../../app-config.yaml'),
      'utf8',
    ),
  );
  const file = path.join(dir, 'app-config.bench.yaml');
  fs.writeFileSync(
    file,
    stringifyYaml({
      backend: {
        database: { client: 'pg', connection: BENCH_POSTGRES, prefix },
      },
      catalog: {
        locations: [
          ...base.catalog.locations.map((l: { target: string }) => ({
            ...l,
            target: path.resolve(__dirname, '..', l.target),
          })),
          { type: 'file', target: catalogFile },
        ],
      },
      ...extra,
    }),
  );
  return file;
}
