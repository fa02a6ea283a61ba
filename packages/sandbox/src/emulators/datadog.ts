import express from 'express';
import { DemoCatalog, DemoComponent } from '../demoCatalog';
import { SANDBOX_CREDENTIALS } from '../credentials';
import { daysBefore, sandboxToday, seededInt } from '../seeded';

/** Monitors that are not OK in the demo, matching the Argo CD emulator's unhealthy apps. */
const DEMO_MONITOR_STATES: Record<string, string> = {
  'invoice-service:error-rate': 'Alert',
  'fraud-screening:latency': 'Warn',
};

function monitorsFor(component: DemoComponent) {
  const today = sandboxToday();
  const service = component.name;
  const tags = [`service:${service}`, `team:${component.owner}`, 'env:prod'];
  const base = seededInt(10_000_000, 99_000_000, 'monitor', service);
  const definitions = [
    {
      key: 'error-rate',
      name: `[${service}] Error rate above 2% on prod`,
      query: `sum(last_5m):sum:trace.http.request.errors{service:${service},env:prod}.as_count() / sum:trace.http.request.hits{service:${service},env:prod}.as_count() > 0.02`,
      thresholds: { critical: 0.02, warning: 0.01 },
    },
    {
      key: 'latency',
      name: `[${service}] p95 latency above 500 ms on prod`,
      query: `percentile(last_10m):p95:trace.http.request{service:${service},env:prod} > 0.5`,
      thresholds: { critical: 0.5, warning: 0.3 },
    },
  ];
  return definitions.map((d, i) => ({
    id: base + i,
    name: d.name,
    type: 'query alert',
    query: d.query,
    message: `{{#is_alert}}${service} is unhealthy. Runbook: https://backstage.quillstack.example/docs/default/component/${service}/runbook/ @slack-${component.owner}{{/is_alert}}`,
    tags,
    options: {
      thresholds: d.thresholds,
      notify_no_data: false,
      evaluation_delay: 60,
    },
    priority: i === 0 ? 2 : 3,
    overall_state: DEMO_MONITOR_STATES[`${service}:${d.key}`] ?? 'OK',
    // When the monitor entered its state: an alert started minutes ago, OK has held for days.
    overall_state_modified: (DEMO_MONITOR_STATES[`${service}:${d.key}`]
      ? new Date(
          today.getTime() - seededInt(10, 50, service, d.key, 'since') * 60_000,
        )
      : daysBefore(today, seededInt(2, 30, service, d.key, 'since'))
    ).toISOString(),
    created: daysBefore(
      today,
      seededInt(90, 700, service, d.key),
    ).toISOString(),
    modified: daysBefore(today, seededInt(1, 60, service, d.key)).toISOString(),
    creator: { handle: 'platform@quillstack.example', name: 'Platform Team' },
    multi: false,
  }));
}

/** Datadog API v1, the subset the portal reads: GET /api/v1/monitor?monitor_tags=service:NAME. */
export function datadogEmulator(catalog: DemoCatalog) {
  const app = express();
  const monitors = catalog.components
    .filter(c => c.annotations['datadog/dashboard-url'])
    .flatMap(monitorsFor);

  app.use((req, res, next) => {
    if (
      req.header('dd-api-key') !== SANDBOX_CREDENTIALS.datadogApiKey ||
      req.header('dd-application-key') !== SANDBOX_CREDENTIALS.datadogAppKey
    ) {
      res.status(403).json({ errors: ['Forbidden'] });
      return;
    }
    next();
  });

  app.get('/api/v1/monitor', (req, res) => {
    const wanted = [req.query.monitor_tags, req.query.tags]
      .filter(v => v !== undefined)
      .flatMap(v => String(v).split(','))
      .map(tag => tag.trim())
      .filter(Boolean);
    res.json(monitors.filter(m => wanted.every(tag => m.tags.includes(tag))));
  });
  return app;
}
