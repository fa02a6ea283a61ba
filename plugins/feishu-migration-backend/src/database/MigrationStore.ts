import {
  MigrationDocument,
  MigrationJob,
  MigrationStatus,
} from '@internal/plugin-feishu-migration-common';
import { PlannedDocument } from '../migration/planMigration';

export type NewMigrationJob = Omit<
  MigrationJob,
  | 'documentsConverted'
  | 'documentsFailed'
  | 'updatedAt'
  | 'finishedAt'
  | 'mkdocsBuild'
  | 'permissionReport'
  | 'pullRequestUrl'
  | 'error'
>;

export type NewMigrationDocument = PlannedDocument;

export interface FeishuPermission {
  member_type: string;
  member_id: string;
  perm: string;
}

export interface StoredDocument extends MigrationDocument {
  objToken: string;
  objType: PlannedDocument['objType'];
  position: number;
  permissions: FeishuPermission[];
}

export interface MigrationFile {
  path: string;
  kind: 'page' | 'asset' | 'config';
  nodeToken?: string;
  content: Buffer;
}

export interface StoredFile extends MigrationFile {
  previousRecorded: boolean;
  existedBefore?: boolean;
  previousContent?: Buffer;
  written: boolean;
}

export type MigrationJobPatch = Partial<
  Pick<
    MigrationJob,
    | 'status'
    | 'branch'
    | 'pullRequestUrl'
    | 'mkdocsBuild'
    | 'permissionReport'
    | 'error'
    | 'finishedAt'
  >
> & {
  pullRequestNumber?: number | null;
  /** With status failed: the phase a retry resumes. */
  failedPhase?: MigrationStatus;
};

/** Thrown by a write made under a lease that another run has since claimed. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`Another run has taken over Feishu migration ${jobId}`);
    this.name = 'LeaseLostError';
  }
}

/** What a delivery records about the files it writes, under the run's lease. */
export interface DeliveryRecords {
  /** Remembers what a path held before the first write; later calls keep the first answer. */
  recordPrevious(path: string, previous: Buffer | undefined): Promise<void>;
  markWritten(path: string, written: boolean): Promise<void>;
}

/**
 * One run's hold on a job. Lease times come from the database's clock, and every write names the run's own
 * token: once another run has claimed the job, each of them throws LeaseLostError and changes nothing.
 */
export interface LeasedJob extends DeliveryRecords {
  readonly jobId: string;
  /** False once the lease is someone else's. */
  renew(leaseMs: number): Promise<boolean>;
  /** Gives the job up, unless another run holds it by now. */
  release(): Promise<void>;
  /** Throws LeaseLostError unless this run still holds the job. */
  assertHeld(): Promise<void>;
  updateJob(patch: MigrationJobPatch): Promise<void>;
  startDocument(nodeToken: string): Promise<void>;
  /** Stores the page's files and marks it converted, in one transaction. */
  saveConvertedDocument(
    nodeToken: string,
    result: {
      files: MigrationFile[];
      warnings: string[];
      validation: MigrationDocument['validation'];
      permissions: FeishuPermission[];
    },
  ): Promise<void>;
  failDocument(nodeToken: string, error: string): Promise<void>;
  putFile(file: MigrationFile): Promise<void>;
}

/** Migration jobs, their documents and the files they write; shared by every backend replica. */
export interface MigrationStore {
  createJob(
    job: NewMigrationJob,
    documents: NewMigrationDocument[],
  ): Promise<void>;
  getJob(
    id: string,
  ): Promise<(MigrationJob & { pullRequestNumber?: number }) | undefined>;
  /** Newest first; only jobs of these services when entityRefs is given (an empty list matches none). */
  listJobs(filter: {
    entityRefs?: string[];
    limit: number;
    offset: number;
  }): Promise<{ items: MigrationJob[]; totalItems: number }>;
  /** Every service some job migrated into. */
  listJobEntityRefs(): Promise<string[]>;
  /** Only one run holds a job at a time: undefined while another run's lease has not expired. */
  claimJob(
    id: string,
    owner: string,
    leaseMs: number,
  ): Promise<LeasedJob | undefined>;
  /** Jobs in an active status that no run holds (never started, or their replica went away). */
  listAbandonedJobs(statuses: MigrationStatus[]): Promise<string[]>;

  /**
   * A failed job goes back to the phase that failed (failed pages back to pending when that was
   * conversion). False when the job is not failed (any more).
   */
  retryFailed(jobId: string): Promise<boolean>;
  /** A completed or failed job is to be rolled back; false when it is in any other state. */
  requestRollback(jobId: string): Promise<boolean>;

  listDocuments(jobId: string): Promise<StoredDocument[]>;
  listFiles(
    jobId: string,
    options?: { kind?: MigrationFile['kind'] },
  ): Promise<StoredFile[]>;
}
