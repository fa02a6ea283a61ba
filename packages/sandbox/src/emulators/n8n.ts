import express from 'express';
import { DemoCatalog } from '../demoCatalog';
import { SANDBOX_CREDENTIALS } from '../credentials';
import { daysBefore, sandboxToday, seededHex, seededInt } from '../seeded';

interface WorkflowSummary {
  name: string;
  owner: string;
  components: string[];
}

function workflowsFromCatalog(catalog: DemoCatalog): WorkflowSummary[] {
  const byName = new Map<string, WorkflowSummary>();
  for (const component of catalog.components) {
    const names = (component.annotations['n8n/workflows'] ?? '')
      .split(',')
      .map(name => name.trim())
      .filter(Boolean);
    for (const name of names) {
      const existing = byName.get(name);
      if (existing) {
        existing.components.push(component.name);
      } else {
        byName.set(name, {
          name,
          owner: component.owner,
          components: [component.name],
        });
      }
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** n8n public API v1, the subset the portal reads: GET /api/v1/workflows. */
export function n8nEmulator(catalog: DemoCatalog) {
  const app = express();
  const today = sandboxToday();
  const workflows = workflowsFromCatalog(catalog).map(w => {
    const id = seededHex(16, 'n8n', w.name);
    return {
      id,
      name: w.name,
      active: true,
      isArchived: false,
      createdAt: daysBefore(today, seededInt(60, 500, w.name)).toISOString(),
      updatedAt: daysBefore(today, seededInt(1, 50, w.name, 'u')).toISOString(),
      nodes: [
        {
          id: seededHex(8, id, 'trigger'),
          name: 'Webhook',
          type: 'n8n-nodes-base.webhook',
          typeVersion: 2,
          position: [0, 0],
          parameters: { httpMethod: 'POST', path: w.name },
          webhookId: seededHex(32, id, 'webhook'),
        },
        {
          id: seededHex(8, id, 'slack'),
          name: 'Notify Slack',
          type: 'n8n-nodes-base.slack',
          typeVersion: 2.3,
          position: [220, 0],
          parameters: { channel: `#${w.owner}` },
        },
      ],
      connections: {
        Webhook: { main: [[{ node: 'Notify Slack', type: 'main', index: 0 }]] },
      },
      settings: { executionOrder: 'v1' },
      staticData: null,
      tags: [
        { id: seededHex(8, 'tag', 'backstage'), name: 'backstage' },
        { id: seededHex(8, 'tag', w.owner), name: w.owner },
        ...w.components.map(c => ({ id: seededHex(8, 'tag', c), name: c })),
      ],
    };
  });

  app.use((req, res, next) => {
    const key = req.header('x-n8n-api-key');
    if (key === undefined) {
      res.status(401).json({ message: "'X-N8N-API-KEY' header required" });
      return;
    }
    if (key !== SANDBOX_CREDENTIALS.n8nApiKey) {
      res.status(401).json({ message: 'unauthorized' });
      return;
    }
    next();
  });

  app.get('/api/v1/workflows', (req, res) => {
    const limit = Number(req.query.limit ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250) {
      res.status(400).json({
        message: 'request/query/limit must be an integer between 1 and 250',
      });
      return;
    }
    const tags = req.query.tags
      ? String(req.query.tags).split(',').filter(Boolean)
      : [];
    const offset = req.query.cursor
      ? Number(Buffer.from(String(req.query.cursor), 'base64url').toString())
      : 0;
    const matching = workflows.filter(
      w =>
        (req.query.active === undefined ||
          String(w.active) === String(req.query.active)) &&
        tags.every(tag => w.tags.some(t => t.name === tag)),
    );
    const page = matching.slice(offset, offset + limit);
    const nextOffset = offset + limit;
    res.json({
      data: page,
      nextCursor:
        nextOffset < matching.length
          ? Buffer.from(String(nextOffset)).toString('base64url')
          : null,
    });
  });
  return app;
}
