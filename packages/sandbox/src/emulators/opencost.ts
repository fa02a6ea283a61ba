import express from 'express';
import { DemoCatalog, DemoComponent } from '../demoCatalog';
import { daysBefore, sandboxToday, seededFraction } from '../seeded';

const DAY_MS = 86_400_000;
/** Its cost more than doubles in the last three full days (and today). */
export const SPIKING_SERVICE = 'usage-metering';
/** Requests far more CPU and memory than it uses. */
export const OVER_PROVISIONED_SERVICE = 'reporting-service';

const SUMMED_FIELDS = [
  'cpuCores',
  'cpuCoreRequestAverage',
  'cpuCoreUsageAverage',
  'cpuCoreHours',
  'cpuCost',
  'gpuCost',
  'networkTransferBytes',
  'networkReceiveBytes',
  'networkCost',
  'loadBalancerCost',
  'pvBytes',
  'pvByteHours',
  'pvCost',
  'ramBytes',
  'ramByteRequestAverage',
  'ramByteUsageAverage',
  'ramByteHours',
  'ramCost',
  'totalCost',
] as const;
const GIB = 1024 ** 3;

/** Rough monthly size of each component type, in USD, so costs look like a real 50-person SaaS. */
const MONTHLY_BASE_USD: Record<string, number> = {
  service: 420,
  worker: 180,
  website: 90,
};

function parseWindow(window: string, today: Date): { start: Date; end: Date } {
  const relative = /^(\d{1,3})d$/.exec(window);
  if (relative) {
    const days = Number(relative[1]);
    return { start: daysBefore(today, days - 1), end: daysBefore(today, -1) };
  }
  const [from, to] = window.split(',');
  const start = new Date(from);
  const end = new Date(to);
  if (
    !to ||
    Number.isNaN(start.getTime()) ||
    Number.isNaN(end.getTime()) ||
    end <= start
  ) {
    throw new Error(
      `invalid window '${window}': use e.g. '7d' or 'RFC3339,RFC3339'`,
    );
  }
  return { start, end };
}

export function allocation(
  component: DemoComponent,
  start: Date,
  end: Date,
  today: Date,
) {
  const label = component.annotations['opencost/service-label'];
  const days = (end.getTime() - start.getTime()) / DAY_MS;
  const base = (MONTHLY_BASE_USD[component.type] ?? 120) / 30;
  // Day-to-day wobble and quieter weekends, plus a steady climb for one service and a spike in the last
  // three full days for another, so trends have something to show.
  const wobble = 0.85 + 0.3 * seededFraction(label, start.toISOString());
  const weekday = start.getUTCDay();
  const seasonality = days <= 1 && (weekday === 0 || weekday === 6) ? 0.7 : 1;
  const ageDays = Math.min(30, (today.getTime() - start.getTime()) / DAY_MS);
  const growth = label === 'payment-gateway' ? 1 + (30 - ageDays) / 60 : 1;
  const spike =
    label === SPIKING_SERVICE && start.getTime() >= today.getTime() - 3 * DAY_MS
      ? 2.6
      : 1;
  const total = base * days * wobble * seasonality * growth * spike;
  const cpuCost = total * 0.55;
  const ramCost = total * 0.3;
  const pvCost = total * 0.1;
  const networkCost = total * 0.05;
  const cpuCores = cpuCost / days / 24 / 0.031611 || 0;
  const ramBytes = (ramCost / days / 24 / 0.004237) * GIB || 0;
  const overProvisioned = label === OVER_PROVISIONED_SERVICE;
  const cpuEfficiency = overProvisioned
    ? 0.06
    : 0.25 + 0.5 * seededFraction(label, 'cpu-eff');
  const ramEfficiency = overProvisioned
    ? 0.11
    : 0.35 + 0.5 * seededFraction(label, 'ram-eff');
  const round = (n: number) => Math.round(n * 1e5) / 1e5;
  return {
    name: label,
    properties: {
      cluster: 'quillstack-prod-eu-central-1',
      namespace: component.system,
      labels: { app: label, team: component.owner },
    },
    window: { start: start.toISOString(), end: end.toISOString() },
    start: start.toISOString(),
    end: end.toISOString(),
    minutes: days * 1440,
    cpuCores: round(cpuCores),
    cpuCoreRequestAverage: round(cpuCores),
    cpuCoreUsageAverage: round(cpuCores * cpuEfficiency),
    cpuCoreHours: round(cpuCores * days * 24),
    cpuCost: round(cpuCost),
    cpuCostAdjustment: 0,
    cpuEfficiency: round(cpuEfficiency),
    gpuCount: 0,
    gpuHours: 0,
    gpuCost: 0,
    gpuCostAdjustment: 0,
    networkTransferBytes: Math.round(networkCost * 50 * GIB),
    networkReceiveBytes: Math.round(networkCost * 80 * GIB),
    networkCost: round(networkCost),
    networkCostAdjustment: 0,
    loadBalancerCost: 0,
    loadBalancerCostAdjustment: 0,
    pvBytes: 20 * GIB,
    pvByteHours: 20 * GIB * days * 24,
    pvCost: round(pvCost),
    pvCostAdjustment: 0,
    ramBytes: Math.round(ramBytes),
    ramByteRequestAverage: Math.round(ramBytes),
    ramByteUsageAverage: Math.round(ramBytes * ramEfficiency),
    ramByteHours: Math.round(ramBytes * days * 24),
    ramCost: round(ramCost),
    ramCostAdjustment: 0,
    ramEfficiency: round(ramEfficiency),
    sharedCost: 0,
    externalCost: 0,
    totalCost: round(total),
    totalEfficiency: round(
      (cpuEfficiency * cpuCost + ramEfficiency * ramCost) / (cpuCost + ramCost),
    ),
  };
}

/**
 * OpenCost allocation API, the subset the portal reads:
 * GET /allocation/compute?window=7d&aggregate=label:app&step=1d&accumulate=false
 */
export function opencostEmulator(catalog: DemoCatalog) {
  const app = express();
  const costed = catalog.components.filter(
    c => c.annotations['opencost/service-label'],
  );

  app.get(['/allocation/compute', '/allocation'], (req, res) => {
    const windowParam = String(req.query.window ?? '');
    const aggregate = String(req.query.aggregate ?? 'label:app');
    const accumulate = String(req.query.accumulate ?? 'false') === 'true';
    if (!windowParam) {
      res
        .status(400)
        .json({ code: 400, message: "missing 'window' parameter" });
      return;
    }
    if (aggregate !== 'label:app' && aggregate !== 'namespace') {
      res.status(400).json({
        code: 400,
        message: `unsupported aggregate '${aggregate}': the sandbox aggregates by label:app or namespace`,
      });
      return;
    }
    const today = sandboxToday();
    let range: { start: Date; end: Date };
    try {
      range = parseWindow(windowParam, today);
    } catch (e) {
      res.status(400).json({ code: 400, message: (e as Error).message });
      return;
    }
    const steps: Array<{ start: Date; end: Date }> = [];
    if (accumulate) {
      steps.push(range);
    } else {
      for (
        let t = range.start.getTime();
        t < range.end.getTime();
        t += DAY_MS
      ) {
        steps.push({
          start: new Date(t),
          end: new Date(Math.min(t + DAY_MS, range.end.getTime())),
        });
      }
    }
    const data = steps.map(step => {
      const set: Record<string, ReturnType<typeof allocation>> = {};
      for (const component of costed) {
        const a = allocation(component, step.start, step.end, today);
        if (aggregate === 'label:app') {
          set[a.name] = a;
          continue;
        }
        // A namespace is the sum of its workloads (the sandbox's namespaces are the systems).
        const namespace = a.properties.namespace;
        const sum = set[namespace];
        if (!sum) {
          set[namespace] = { ...a, name: namespace };
          continue;
        }
        for (const field of SUMMED_FIELDS) sum[field] += a[field];
      }
      return set;
    });
    res.json({ code: 200, status: 'success', data });
  });
  return app;
}
