import fc from 'fast-check';
import {
  isTerminal,
  nextRunStatus,
  RunStatus,
  runStatusOfExecution,
} from './runStatus';

const N8N_EXECUTION_STATUSES = [
  'new',
  'running',
  'waiting',
  'success',
  'error',
  'crashed',
  'canceled',
  'unknown',
];
const ORDER: Record<RunStatus, number> = {
  pending: 0,
  running: 1,
  success: 2,
  failed: 2,
  canceled: 2,
};

describe('nextRunStatus', () => {
  it('only moves forward and ends terminal once upstream does, for any sequence of observations', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...N8N_EXECUTION_STATUSES), {
          maxLength: 30,
        }),
        observations => {
          let status: RunStatus = 'pending';
          let firstTerminal: RunStatus | undefined;
          for (const observation of observations) {
            const observed = runStatusOfExecution(observation);
            const next = nextRunStatus(status, observed);
            expect(ORDER[next]).toBeGreaterThanOrEqual(ORDER[status]);
            expect(isTerminal(status) && next !== status).toBe(false);
            if (!firstTerminal && observed && isTerminal(observed)) {
              firstTerminal = observed;
            }
            status = next;
          }
          const seenRunning = observations.some(
            o => runStatusOfExecution(o) === 'running',
          );
          // Terminal exactly when upstream was seen terminal, and in the state first seen.
          expect(status).toBe(
            firstTerminal ?? (seenRunning ? 'running' : 'pending'),
          );
        },
      ),
    );
  });

  it('maps n8n execution states', () => {
    expect(runStatusOfExecution('waiting')).toBe('running');
    expect(runStatusOfExecution('crashed')).toBe('failed');
    expect(runStatusOfExecution('unknown')).toBeUndefined();
  });
});
