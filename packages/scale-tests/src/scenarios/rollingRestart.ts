import autocannon from 'autocannon';
import { Cluster, CONTRACTOR } from '../cluster';
import { Check } from '../report';

const CONNECTIONS = 50;

/** Read endpoints of the catalog and the plugins, as the contractor (the most limited reader) reads them. */
const READS = [
  '/api/catalog/entities/by-name/component/default/reporting-service',
  '/api/catalog/entities/by-query?filter=kind=component&limit=20',
  '/api/security/access/me',
  '/api/search/query?term=invoice',
];

/**
 * 50 clients for `durationSeconds` on the catalog's and the plugins' read endpoints through the balancer,
 * while each replica in turn is stopped (SIGTERM, as Kubernetes stops a pod in a rolling update) and
 * started again: not one request may fail. A stopping replica answers 503 on readiness at once, serves
 * what comes during `backend.lifecycle.serverShutdownDelay` while the balancer takes it out, then finishes
 * its in-flight requests and exits.
 */
export async function rollingRestartLosesNothing(
  cluster: Cluster,
  durationSeconds: number,
): Promise<Check[]> {
  const token = await cluster.guestToken(CONTRACTOR);
  const base = cluster.balancer.url;
  for (const path of READS) {
    const res = await fetch(`${base}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) {
      throw new Error(`${path} answered ${res.status} before the load began`);
    }
  }
  const load = autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: durationSeconds,
    headers: { authorization: `Bearer ${token}` },
    requests: READS.map(path => ({ method: 'GET', path })),
  });
  const restarts: string[] = [];
  const restartAll = (async () => {
    await new Promise(resolve => setTimeout(resolve, 5_000));
    for (const replica of Object.values(cluster.replicas)) {
      const started = Date.now();
      const code = await replica.stop('SIGTERM');
      const stopped = Date.now();
      await replica.start();
      restarts.push(
        `${replica.name} stopped in ${((stopped - started) / 1000).toFixed(
          1,
        )} s (exit ${code}), ready again ${(
          (Date.now() - stopped) /
          1000
        ).toFixed(0)} s later`,
      );
      // Both serve again before the other one goes.
      await new Promise(resolve => setTimeout(resolve, 3_000));
    }
  })();
  const [result] = await Promise.all([load, restartAll]);
  const failed = result.non2xx + result.errors + result.timeouts;
  return [
    {
      scenario: 'rolling restart',
      what: `${CONNECTIONS} clients for ${durationSeconds} s on ${READS.length} read endpoints, each replica restarted`,
      figure: `${
        result.requests.total
      } requests (${result.requests.average.toFixed(0)}/s, p99 ${
        result.latency.p99
      } ms): ${result.non2xx} non-2xx, ${result.errors} errors, ${
        result.timeouts
      } timeouts; ${restarts.join('; ')}`,
      ok: failed === 0 && restarts.length === 2,
    },
  ];
}
