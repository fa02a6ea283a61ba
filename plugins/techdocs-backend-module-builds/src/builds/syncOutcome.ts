import { createParser } from 'eventsource-parser';

/** How TechDocs' sync stream ended: built (or found current), failed with a message, or cut off. */
export type SyncOutcome =
  | { kind: 'finished'; updated: boolean }
  | { kind: 'failed'; error: string }
  | { kind: 'incomplete' };

/** Reads the event stream of techdocs-backend's GET /sync/:namespace/:kind/:name (log, error, finish). */
export function syncOutcomeOf(stream: string): SyncOutcome {
  let outcome: SyncOutcome = { kind: 'incomplete' };
  const parser = createParser({
    onEvent(event) {
      if (outcome.kind !== 'incomplete') return;
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        data = event.data;
      }
      if (event.event === 'finish') {
        outcome = {
          kind: 'finished',
          updated: Boolean((data as { updated?: unknown })?.updated),
        };
      } else if (event.event === 'error') {
        outcome = { kind: 'failed', error: String(data) };
      }
    },
  });
  parser.feed(stream);
  // A last event without its blank line still counts.
  parser.feed('\n\n');
  return outcome;
}
