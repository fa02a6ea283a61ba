import { MigrationStore, StoredFile } from '../database/MigrationStore';

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
 * folder only writes what is not written yet, the pull request reuses its branch and open PR.
 */
export interface Delivery {
  readExisting(destination: string): Promise<ExistingDocs>;
  deliver(
    job: DeliveryJob,
    files: StoredFile[],
    store: MigrationStore,
  ): Promise<DeliveryResult>;
  rollback(
    job: DeliveryJob,
    files: StoredFile[],
    store: MigrationStore,
  ): Promise<void>;
}
