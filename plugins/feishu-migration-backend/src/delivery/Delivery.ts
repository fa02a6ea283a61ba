import { DeliveryRecords, StoredFile } from '../database/MigrationStore';

export interface ExistingDocs {
  /** The repository's mkdocs.yml, if any. */
  mkdocs?: string;
  /** Markdown files under docs/, relative to it. */
  pages: string[];
}

export interface DeliveryJob {
  id: string;
  destination: string;
  branch?: string;
  pullRequestNumber?: number;
  title: string;
  body: string;
}

export interface DeliveryResult {
  branch?: string;
  pullRequestNumber?: number;
  pullRequestUrl?: string;
}

/**
 * Where migrated files go. Both kinds are idempotent, so a job resumed after a crash delivers once: the
 * folder only writes what is not written yet, the pull request reuses its branch and open PR. What a
 * delivery records goes through the run's lease, so a run that lost its job stops at its next record.
 */
export interface Delivery {
  readExisting(destination: string): Promise<ExistingDocs>;
  deliver(
    job: DeliveryJob,
    files: StoredFile[],
    records: DeliveryRecords,
  ): Promise<DeliveryResult>;
  /** Undoes a delivery; refuses (ConflictError) rather than overwrite what someone changed since. */
  rollback(
    job: DeliveryJob,
    files: StoredFile[],
    records: DeliveryRecords,
  ): Promise<void>;
}
