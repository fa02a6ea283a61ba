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
> & { pullRequestNumber?: number | null };

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
  updateJob(id: string, patch: MigrationJobPatch): Promise<void>;
  /** Compare-and-set: only one replica holds a job's lease at a time. */
  claimJob(id: string, owner: string, leaseMs: number): Promise<boolean>;
  renewLease(id: string, owner: string, leaseMs: number): Promise<boolean>;
  releaseJob(id: string, owner: string): Promise<void>;
  /** Jobs in an active status that no replica holds (never started, or their replica went away). */
  listAbandonedJobs(statuses: MigrationStatus[]): Promise<string[]>;

  /** A failed job goes back to work: failed pages to pending, then conversion (or validation if none failed). */
  retryFailed(jobId: string): Promise<void>;

  listDocuments(jobId: string): Promise<StoredDocument[]>;
  startDocument(jobId: string, nodeToken: string): Promise<void>;
  /** Stores the page's files and marks it converted, in one transaction. */
  saveConvertedDocument(
    jobId: string,
    nodeToken: string,
    result: {
      files: MigrationFile[];
      warnings: string[];
      validation: MigrationDocument['validation'];
      permissions: FeishuPermission[];
    },
  ): Promise<void>;
  failDocument(jobId: string, nodeToken: string, error: string): Promise<void>;
  setDocumentValidation(
    jobId: string,
    nodeToken: string,
    validation: MigrationDocument['validation'],
  ): Promise<void>;

  putFile(jobId: string, file: MigrationFile): Promise<void>;
  listFiles(
    jobId: string,
    options?: { kind?: MigrationFile['kind'] },
  ): Promise<StoredFile[]>;
  /** Remembers what a path held before the first write; later calls keep the first answer. */
  recordPrevious(
    jobId: string,
    path: string,
    previous: Buffer | undefined,
  ): Promise<void>;
  markWritten(jobId: string, path: string, written: boolean): Promise<void>;
}
