/* eslint-disable no-console */
// The OpenCost endpoints with 1,000 services × 90 days in PostgreSQL, against the same requests proxied
// straight to an upstream that answers in 200 ms (what asking OpenCost on every page view would cost).
// The development backend runs on PostgreSQL (databases prefixed bench_opencost_, dropped before and
// after), with 1,000 generated components in its catalog, the real permission backend and security
// policy. 50 connections for BENCH_DURATION_S (10) seconds per endpoint, from a worker thread.
// Prints req/s, p50/p90/p97.5 (autocannon has no p95; p97.5 <= 50 ms holds p95 to it too), the
// throughput ratio against the proxy (target >= 10x), and the uncached latency of each endpoint.
// Run from the repository root: yarn bench:opencost
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import express from 'express';
import knexFactory, { Knex } from 'knex';
import { stringify } from 'yaml';
import {
  BENCH_POSTGRES,
  describe,
  dropBenchDatabases,
  DURATION_S,
  load,
  startDevelopmentBackend,
  startProfiler,
  until,
  writeBenchConfig,
} from './developmentBackend';

const SERVICES = 1000;
const DAYS = 90;
const PREFIX = 'bench_opencost_';
const POSTGRES = BENCH_POSTGRES;
const UPSTREAM_DELAY_MS = 200;
const DAY_MS = 86_400_000;

const serviceName = (i: number) => `bench-svc-${String(i).padStart(4, '0')}`;

/** 1,000 components in a catalog file, owned by 25 teams, of three types. */
function writeCatalog(dir: string) {
  const file = path.join(dir, 'bench-services.yaml');
  const docs = Array.from({ length: SERVICES }, (_, i) =>
    stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: serviceName(i),
        annotations: { 'opencost/service-label': serviceName(i) },
      },
      spec: {
        type: ['service', 'worker', 'website'][i % 3],
        lifecycle: 'production',
        owner: `bench-team-${i % 25}`,
      },
    }),
  );
  fs.writeFileSync(file, docs.join('---\n'));
  return file;
}

/** 90 days of every service, as the daily sync stores them. */
async function seedCosts(knex: Knex) {
  const today = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  const days = Array.from({ length: DAYS }, (_, d) =>
    new Date(today.getTime() - (DAYS - d) * DAY_MS).toISOString().slice(0, 10),
  );
  for (const day of days) {
    const rows = Array.from({ length: SERVICES }, (_, i) => {
      const total = 3 + (i % 17) + (day.charCodeAt(9) % 3);
      return {
        source: 'label',
        name: serviceName(i),
        day,
        cpu_cost: total * 0.55,
        ram_cost: total * 0.3,
        pv_cost: total * 0.1,
        network_cost: total * 0.05,
        gpu_cost: 0,
        load_balancer_cost: 0,
        total_cost: total,
        cpu_core_hours: 24 * 4,
        ram_byte_hours: 24 * 8 * 2 ** 30,
        cpu_core_request_average: 4,
        cpu_core_usage_average: 1 + (i % 3),
        ram_byte_request_average: 8 * 2 ** 30,
        ram_byte_usage_average: 3 * 2 ** 30,
      };
    });
    for (let i = 0; i < rows.length; i += 500) {
      await knex('opencost_daily_costs')
        .insert(rows.slice(i, i + 500))
        .onConflict(['source', 'name', 'day'])
        .merge();
    }
    await knex('opencost_synced_days')
      .insert({ source: 'label', day, synced_at: knex.fn.now() })
      .onConflict(['source', 'day'])
      .merge();
  }
}

/** An upstream answering `body` after 200 ms, and a proxy in front of it, as a portal without storage. */
async function slowUpstreamBehindProxy(bodies: Record<string, string>) {
  const upstream = express();
  upstream.get('/:name', (req, res) => {
    setTimeout(
      () => res.type('application/json').send(bodies[req.params.name]),
      UPSTREAM_DELAY_MS,
    );
  });
  const upstreamServer = upstream.listen(0, '127.0.0.1');
  await new Promise(resolve => upstreamServer.once('listening', resolve));
  const upstreamUrl = `http://127.0.0.1:${
    (upstreamServer.address() as AddressInfo).port
  }`;
  const proxy = express();
  proxy.get('/:name', async (req, res) => {
    const answer = await fetch(`${upstreamUrl}/${req.params.name}`);
    res
      .status(answer.status)
      .type('application/json')
      .send(await answer.text());
  });
  const proxyServer = proxy.listen(0, '127.0.0.1');
  await new Promise(resolve => proxyServer.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(proxyServer.address() as AddressInfo).port}`,
    stop: () => {
      proxyServer.close();
      upstreamServer.close();
    },
  };
}

async function main() {
  await dropBenchDatabases(PREFIX);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opencost-bench-'));
  const config = writeBenchConfig(dir, PREFIX, writeCatalog(dir), {
    // Nothing answers here: the sync fails (one log line) and keeps the seeded days.
    opencost: {
      baseUrl: 'http://127.0.0.1:9',
      aws: { endpoint: 'http://127.0.0.1:9' },
    },
  });
  const started = Date.now();
  const { base, token, stop } = await startDevelopmentBackend(7419, [config]);
  const auth = { authorization: `Bearer ${token}` };
  await until(async () => {
    const res = await fetch(
      `${base}/api/catalog/entities/by-query?filter=kind=component,metadata.name=${serviceName(
        SERVICES - 1,
      )}&limit=1`,
      { headers: auth },
    );
    const body = await res.json();
    return body.items?.length === 1 ? true : undefined;
  }, `${SERVICES} components in the catalog`);
  // Catalog stitching and the first search indexing of 1,000 new entities take the CPU for a while.
  const settleS = Number(process.env.BENCH_SETTLE_S ?? 45);
  await new Promise(resolve => setTimeout(resolve, settleS * 1000));
  const costsDb = knexFactory({
    client: 'pg',
    connection: `${POSTGRES.replace(/\/$/, '')}/${PREFIX}opencost`,
  });
  await seedCosts(costsDb);
  console.log(
    `backend on PostgreSQL with ${SERVICES} components and ${
      SERVICES * DAYS
    } daily costs ready in ${((Date.now() - started) / 1000).toFixed(
      0,
    )} s (${settleS} s of it letting the catalog settle)`,
  );

  const endpoints = {
    // The Costs page's first page of services.
    overview: `${base}/api/opencost/overview?days=30&offset=0&limit=20&sort=total&order=desc`,
    costs: `${base}/api/opencost/costs?entityRef=component:default/${serviceName(
      7,
    )}&days=30`,
  };
  const bodies: Record<string, string> = {};
  for (const [name, url] of Object.entries(endpoints)) {
    const res = await fetch(url, { headers: auth });
    bodies[name] = await res.text();
    if (!res.ok)
      throw new Error(`${name} answered ${res.status}: ${bodies[name]}`);
  }
  const services = JSON.parse(bodies.overview).totalServices;
  if (services < SERVICES) {
    throw new Error(`the overview lists ${services} services, not ${SERVICES}`);
  }
  console.log(
    `overview: a page of 20 of ${services} services, ${(
      bodies.overview.length / 1024
    ).toFixed(1)} KiB; costs: ${(bodies.costs.length / 1024).toFixed(1)} KiB`,
  );

  // Uncached: a window nobody asked for yet is computed from the database and the catalog.
  for (const [name, url] of Object.entries(endpoints)) {
    const times: number[] = [];
    for (let days = 21; days < 26; days++) {
      const t0 = performance.now();
      const res = await fetch(url.replace('days=30', `days=${days}`), {
        headers: auth,
      });
      await res.text();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `  ${name} uncached (one client, 5 windows): median ${times[2].toFixed(
        0,
      )} ms, max ${times[4].toFixed(0)} ms`,
    );
  }

  for (const [name, url] of Object.entries(endpoints)) {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const res = await fetch(url, { headers: auth });
      await res.text();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `  ${name} cached (one client, 20 requests): median ${times[10].toFixed(
        1,
      )} ms, max ${times[19].toFixed(1)} ms`,
    );
  }

  // The platform's own floor: the catalog answering one entity, under the same load.
  const byName = `${base}/api/catalog/entities/by-name/component/default/${serviceName(
    7,
  )}`;
  await load(byName, token, true);
  console.log(
    describe(
      'GET /api/catalog/entities/by-name',
      await load(byName, token, true),
    ),
  );

  // The ceiling on this machine: the backend answering its readiness probe, which does no work at all.
  const readiness = `${base}/.backstage/health/v1/readiness`;
  await load(readiness, token, true);
  const floor = await load(readiness, token, true);
  console.log(describe('GET /.backstage/health/v1/readiness', floor));

  const proxy = await slowUpstreamBehindProxy(bodies);
  const profiler = await startProfiler();
  let failed = false;
  for (const [name, url] of Object.entries(endpoints)) {
    await load(url, token, true); // warm-up
    const portal = await load(url, token, true);
    const proxied = await load(`${proxy.url}/${name}`, token, true);
    console.log(describe(`GET /api/opencost/${name}`, portal));
    console.log(
      describe(`  proxied to a ${UPSTREAM_DELAY_MS} ms upstream`, proxied),
    );
    const ratio = portal.requests.average / proxied.requests.average;
    const ok = portal.latency.p97_5 <= 50 && ratio >= 10 && portal.non2xx === 0;
    failed ||= !ok;
    console.log(
      `  ${name}: ${(
        (100 * portal.requests.average) /
        floor.requests.average
      ).toFixed(0)} % of the readiness probe's throughput`,
    );
    console.log(
      `  ${name}: ${ratio.toFixed(1)}x the proxy's throughput, p50 ${
        portal.latency.p50
      } ms, p97.5 ${portal.latency.p97_5} ms (targets >= 10x, p95 <= 50 ms): ${
        ok ? 'met' : 'NOT met'
      }`,
    );
  }
  await profiler.stop();
  console.log(`${DURATION_S} s per run, 50 connections`);
  proxy.stop();
  await costsDb.destroy();
  await stop();
  await dropBenchDatabases(PREFIX);
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}

main().catch(async error => {
  console.error(error);
  process.exit(1);
});
