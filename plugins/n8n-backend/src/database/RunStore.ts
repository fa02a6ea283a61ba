import { RunStatus, WorkflowRun } from '@internal/plugin-n8n-common';

export interface NewRun {
  kind: WorkflowRun['kind'];
  actionId?: string;
  workflowId: string;
  workflowName: string;
  entityRef?: string;
  requestedBy: string;
  /** Already redacted. */
  input: Record<string, unknown>;
}

/** A run as stored, with the n8n workflow id the follower needs. */
export interface StoredRun extends WorkflowRun {
  workflowId: string;
}

/** What one observation changes about a run; applied only if the run is still in `from`. */
export interface RunUpdate {
  from: RunStatus;
  status: RunStatus;
  executionId?: string;
  /** Already redacted. */
  result?: Record<string, unknown>;
  error?: string;
  grantId?: string;
}

export interface RunListQuery {
  requestedBy?: string;
  entityRef?: string;
  limit: number;
}

export interface RunStore {
  create(run: NewRun): Promise<StoredRun>;
  get(id: string): Promise<StoredRun | undefined>;
  /** Newest first. */
  list(query: RunListQuery): Promise<StoredRun[]>;
  /** The last runs of each of an entity's workflows. */
  lastRunsOf(
    entityRef: string,
    workflowNames: string[],
    perWorkflow: number,
  ): Promise<StoredRun[]>;
  /**
   * Applies an update if the run's status is still `update.from` (another replica's observation may have
   * moved it on): the fence that keeps a status moving only forward. A finished run takes only its first
   * result, in the same state. Undefined when nothing was applied.
   */
  update(id: string, update: RunUpdate): Promise<StoredRun | undefined>;
  /** Runs not yet terminal, oldest first: what the follower checks. */
  unfinished(limit: number): Promise<StoredRun[]>;
  /**
   * Records a callback's signature; false when it was already recorded (a replay). Receipts older than
   * `forgetAfterMs` (by the database's clock) are deleted on the way.
   */
  acceptSignatureOnce(
    signature: string,
    runId: string,
    forgetAfterMs: number,
  ): Promise<boolean>;
  /** Forgets a signature whose callback could not be processed, so n8n's retry is not taken for a replay. */
  forgetSignature(signature: string): Promise<void>;
}
