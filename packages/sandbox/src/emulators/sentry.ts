import express from 'express';
import { DemoCatalog, DemoComponent } from '../demoCatalog';
import { SANDBOX_CREDENTIALS, bearerToken } from '../credentials';
import { daysBefore, sandboxToday, seededHex, seededInt } from '../seeded';

const ERRORS = [
  {
    type: 'NullPointerException',
    value: 'Cannot invoke "Invoice.getLines()" because "invoice" is null',
    culprit: 'InvoiceController.finalise',
  },
  {
    type: 'TimeoutError',
    value: 'upstream request timed out after 5000 ms',
    culprit: 'HttpClient.send',
  },
  {
    type: 'DataIntegrityViolationException',
    value:
      'duplicate key value violates unique constraint "idempotency_keys_pkey"',
    culprit: 'IdempotencyFilter.doFilter',
  },
  {
    type: 'OutOfMemoryError',
    value: 'Java heap space',
    culprit: 'UsageAggregator.flush',
  },
  {
    type: 'TypeError',
    value: "Cannot read properties of undefined (reading 'amount')",
    culprit: 'CheckoutSummary.render',
  },
];

/** Services with an error spike in the demo: far more events in the last hours. */
const SPIKING = new Set(['invoice-service']);

function issuesOf(component: DemoComponent, slug: string) {
  const [org, project] = slug.split('/');
  const today = sandboxToday();
  const spiking = SPIKING.has(component.name);
  const count = spiking ? 4 : seededInt(0, 3, slug, 'issues');
  return Array.from({ length: count }, (_, i) => {
    const error =
      spiking && i === 0
        ? ERRORS[3]
        : ERRORS[seededInt(0, ERRORS.length - 1, slug, 'error', i)];
    const id = String(seededInt(4_000_000_000, 4_999_999_999, slug, i));
    const hourly = Array.from({ length: 24 }, (_hour, h) => {
      const base = seededInt(0, 6, slug, i, h);
      return spiking && i === 0 && h >= 20 ? base + 180 * (h - 19) : base;
    });
    const events =
      hourly.reduce((a, b) => a + b, 0) + seededInt(10, 400, slug, 'older', i);
    return {
      id,
      shortId: `${project.toUpperCase()}-${seededInt(20, 900, slug, 'short', i)
        .toString(36)
        .toUpperCase()}`,
      title: `${error.type}: ${error.value}`,
      culprit: error.culprit,
      permalink: `https://${org}.sentry.io/issues/${id}/`,
      level: i === 0 ? 'error' : 'warning',
      status: 'unresolved',
      statusDetails: {},
      isUnhandled: error.type.endsWith('Error'),
      count: String(events),
      userCount: seededInt(1, 120, slug, 'users', i),
      firstSeen: daysBefore(
        today,
        seededInt(1, 60, slug, 'first', i),
      ).toISOString(),
      lastSeen: new Date(
        today.getTime() - seededInt(1, 50, slug, 'last', i) * 60_000,
      ).toISOString(),
      metadata: { type: error.type, value: error.value },
      project: { id: seededHex(6, slug), name: project, slug: project },
      stats: {
        '24h': hourly.map((n, h) => [
          Math.floor(today.getTime() / 1000) - (23 - h) * 3600,
          n,
        ]),
      },
    };
  });
}

/** Sentry API 0, the subset the portal reads: GET /api/0/projects/{org}/{project}/issues/ (unresolved). */
export function sentryEmulator(catalog: DemoCatalog) {
  const app = express();
  const issues = new Map<string, ReturnType<typeof issuesOf>>();
  for (const component of catalog.components) {
    const slug = component.annotations['sentry/project-slug'];
    if (slug) issues.set(slug, issuesOf(component, slug));
  }
  app.use((req, res, next) => {
    if (
      bearerToken(req.header('authorization')) !==
      SANDBOX_CREDENTIALS.sentryToken
    ) {
      res.status(401).json({ detail: 'Invalid token' });
      return;
    }
    next();
  });
  app.get('/api/0/projects/:org/:project/issues/', (req, res) => {
    const found = issues.get(`${req.params.org}/${req.params.project}`);
    if (!found) {
      res.status(404).json({ detail: 'The requested resource does not exist' });
      return;
    }
    const limit = Math.min(Number(req.query.limit ?? 25) || 25, 100);
    res.json(found.slice(0, limit));
  });
  return app;
}
