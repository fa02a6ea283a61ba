import type { components } from './schema/openapi.generated';

export type RunStatus = components['schemas']['RunStatus'];

/** The states a run ends in; nothing moves it out of one. */
export const TERMINAL_STATUSES: readonly RunStatus[] = [
  'success',
  'failed',
  'canceled',
];

const RANK: Record<RunStatus, number> = {
  pending: 0,
  running: 1,
  success: 2,
  failed: 2,
  canceled: 2,
};

export function isTerminal(status: RunStatus): boolean {
  return RANK[status] === 2;
}

/**
 * n8n's execution status as a run status; undefined for what says nothing about progress (`unknown`).
 * `new` has not started, `waiting` is paused in a Wait node and will go on, `crashed` is a failure.
 */
export function runStatusOfExecution(status: string): RunStatus | undefined {
  switch (status) {
    case 'new':
      return 'pending';
    case 'running':
    case 'waiting':
      return 'running';
    case 'success':
      return 'success';
    case 'error':
    case 'crashed':
      return 'failed';
    case 'canceled':
      return 'canceled';
    default:
      return undefined;
  }
}

/**
 * The run's status after an observation of the upstream (an execution's status, or a callback's result):
 * it only moves forward (pending → running → success | failed | canceled), never out of a terminal state,
 * and to a terminal state as soon as one is observed. Observations arrive out of order (the follower and a
 * callback on different replicas), so an older one never takes a run back.
 */
export function nextRunStatus(
  current: RunStatus,
  observed: RunStatus | undefined,
): RunStatus {
  if (observed === undefined || isTerminal(current)) {
    return current;
  }
  return RANK[observed] > RANK[current] ? observed : current;
}
