import fc from 'fast-check';
import {
  deploymentsOf,
  errorIssuesOf,
  monitorsOf,
  workflowRunsOf,
} from './normalise';

const anyApplication = fc.record({
  metadata: fc.record({
    name: fc.string({ minLength: 1, maxLength: 12 }),
    labels: fc.option(
      fc.record({
        environment: fc.constantFrom(
          'development',
          'staging',
          'production',
          'qa',
        ),
      }),
      { nil: undefined },
    ),
  }),
  status: fc.option(
    fc.record({
      sync: fc.record({ status: fc.constantFrom('Synced', 'OutOfSync') }),
      health: fc.record({ status: fc.constantFrom('Healthy', 'Degraded') }),
    }),
    { nil: undefined },
  ),
});

describe('normalised signals', () => {
  it('deployments keep every application once, development before staging before production', () => {
    fc.assert(
      fc.property(fc.array(anyApplication, { maxLength: 20 }), applications => {
        const rows = deploymentsOf(
          applications,
          name => `https://argo/${name}`,
        );
        expect(rows.map(r => r.application).sort()).toEqual(
          applications.map(a => a.metadata.name).sort(),
        );
        const order = ['development', 'staging', 'production'];
        const ranks = rows.map(r =>
          order.includes(r.environment) ? order.indexOf(r.environment) : 3,
        );
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        expect(rows.every(r => r.syncStatus && r.health)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('monitors list every alerting one before any that is OK', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.nat(),
            name: fc.string(),
            overall_state: fc.constantFrom('OK', 'Alert', 'Warn', 'No Data'),
          }),
          { maxLength: 30 },
        ),
        monitors => {
          const states = monitorsOf(monitors, id => `m/${id}`).map(
            m => m.state,
          );
          const lastAlert = states.lastIndexOf('Alert');
          const firstOk = states.indexOf('OK');
          expect(firstOk === -1 || lastAlert < firstOk).toBe(true);
          expect(states).toHaveLength(monitors.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads Sentry counts as numbers and sums the last 24 hours', () => {
    const [issue] = errorIssuesOf([
      {
        id: '1',
        title: 'TimeoutError',
        permalink: 'https://quillstack.sentry.io/issues/1/',
        count: '1204',
        firstSeen: '2026-11-01T00:00:00Z',
        lastSeen: '2026-11-24T10:00:00Z',
        stats: {
          '24h': [
            [1, 3],
            [2, 400],
          ],
        },
      },
    ]);
    expect(issue).toMatchObject({
      count: 1204,
      eventsLast24h: 403,
      userCount: 0,
    });
  });

  it('names runs by their title, with the conclusion only once they have one', () => {
    const [run] = workflowRunsOf([
      {
        id: 7,
        name: 'CI',
        display_title: 'Build pdf-renderer',
        status: 'in_progress',
        conclusion: null,
        html_url: 'https://github.com/q/r/actions/runs/7',
        created_at: '2026-11-24T09:00:00Z',
      },
    ]);
    expect(run).toEqual({
      id: 7,
      name: 'CI',
      title: 'Build pdf-renderer',
      status: 'in_progress',
      url: 'https://github.com/q/r/actions/runs/7',
      createdAt: '2026-11-24T09:00:00Z',
    });
  });
});
