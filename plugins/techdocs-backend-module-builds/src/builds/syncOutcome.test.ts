import fc from 'fast-check';
import { syncOutcomeOf } from './syncOutcome';

const event = (type: string, data: unknown) =>
  `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

describe('syncOutcomeOf', () => {
  it('reads a build that finished, one that failed, and a stream cut off', () => {
    expect(
      syncOutcomeOf(
        event('log', 'Step 1 of 3') + event('finish', { updated: true }),
      ),
    ).toEqual({ kind: 'finished', updated: true });
    expect(syncOutcomeOf(event('finish', { updated: false }))).toEqual({
      kind: 'finished',
      updated: false,
    });
    expect(
      syncOutcomeOf(
        event('log', 'x') + event('error', 'mkdocs: Config file not found'),
      ),
    ).toEqual({ kind: 'failed', error: 'mkdocs: Config file not found' });
    expect(syncOutcomeOf(event('log', 'Step 1 of 3'))).toEqual({
      kind: 'incomplete',
    });
    expect(syncOutcomeOf('')).toEqual({ kind: 'incomplete' });
  });

  it('whatever the build logs before it, the first finish or error decides the outcome', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string()),
        fc.oneof(
          fc.record({
            kind: fc.constant('finished' as const),
            updated: fc.boolean(),
          }),
          fc.record({
            kind: fc.constant('failed' as const),
            error: fc.string(),
          }),
        ),
        fc.array(fc.string()),
        (before, end, after) => {
          const stream =
            before.map(line => event('log', line)).join('') +
            (end.kind === 'finished'
              ? event('finish', { updated: end.updated })
              : event('error', end.error)) +
            after.map(line => event('log', line)).join('');
          expect(syncOutcomeOf(stream)).toEqual(end);
        },
      ),
      { numRuns: 200 },
    );
  });
});
