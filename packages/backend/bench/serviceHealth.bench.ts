/* eslint-disable no-console */
// The service page's four signal endpoints of invoice-service (deployments, monitors, errors, changes)
// against the catalog's GET /api/catalog/entities/by-name in the same run, on the development backend with
// the sandbox's emulators as upstreams. 50 connections for BENCH_DURATION_S (10) seconds each.
// Prints req/s, p50/p97.5/p99 and the throughput ratio (target >= 1.0x, p97.5 <= 200 ms, so p95 too).
// Run from the repository root: yarn bench:service-health
import { startSandbox } from '@internal/sandbox';
import { describe, load, startDevelopmentBackend } from './developmentBackend';

const SIGNALS = ['deployments', 'monitors', 'errors', 'changes'] as const;

async function main() {
  const sandbox = await startSandbox();
  const { base, token, byName, stop } = await startDevelopmentBackend(7418);
  const url = (signal: string) =>
    `${base}/api/service-health/${signal}?entityRef=component:default/invoice-service`;
  for (const signal of SIGNALS) {
    const res = await fetch(url(signal), {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok)
      throw new Error(`${signal} answered ${res.status}: ${await res.text()}`);
  }
  await load(byName, token);
  const catalog = await load(byName, token);
  console.log(describe('GET /api/catalog/entities/by-name', catalog));
  let worst = Infinity;
  for (const signal of SIGNALS) {
    const result = await load(url(signal), token);
    console.log(describe(`GET /api/service-health/${signal}`, result));
    const ratio = result.requests.average / catalog.requests.average;
    worst = Math.min(worst, ratio);
    console.log(
      `  ${signal} vs by-name: ${ratio.toFixed(2)}x throughput, p97.5 ${
        result.latency.p97_5
      } ms (targets >= 1.0x, <= 200 ms)`,
    );
  }
  console.log(`slowest signal vs by-name: ${worst.toFixed(2)}x`);
  await stop();
  await sandbox.stop();
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
