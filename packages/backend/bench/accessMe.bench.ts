/* eslint-disable no-console */
// GET /api/security/access/me for a signed-in user the catalog does not know (the development guest),
// against the catalog's own GET /api/catalog/entities/by-name in the same run, on the development
// backend. 50 connections for 10 s each. Prints req/s and latency percentiles of both and the ratio.
// Run from the repository root: yarn bench:access
import { describe, load, startDevelopmentBackend } from './developmentBackend';

async function main() {
  const { base, token, byName, stop } = await startDevelopmentBackend(7417);
  const accessMe = `${base}/api/security/access/me`;
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
  await stop();
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
