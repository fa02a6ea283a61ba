import {
  MigrationJob,
  MigrationStatus,
} from '@internal/plugin-feishu-migration-common';

/** Statuses in which a job still has work; a job left in one of them without a lease is resumed. */
export const ACTIVE_STATUSES: MigrationStatus[] = [
  'queued',
  'converting',
  'validating',
  'delivering',
  'rolling_back',
];

/** Why a job cannot be rolled back now, or undefined when it can. */
export function whyNotRollBack(
  job: Pick<MigrationJob, 'id' | 'status'>,
): string | undefined {
  if (ACTIVE_STATUSES.includes(job.status)) {
    return `Migration ${job.id} is ${job.status}; roll it back once it has finished`;
  }
  if (job.status === 'rolled_back') {
    return `Migration ${job.id} is already rolled back`;
  }
  return undefined;
}

/** Why a job cannot be retried now, or undefined when it can. */
export function whyNotRetry(
  job: Pick<MigrationJob, 'id' | 'status'>,
): string | undefined {
  return job.status === 'failed'
    ? undefined
    : `Only a failed migration can be retried; ${job.id} is ${job.status}`;
}
