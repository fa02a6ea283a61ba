import crypto from 'node:crypto';
import { Knex } from 'knex';
import {
  databaseNow,
  databaseNowPlus,
  isPostgres,
} from '@internal/backend-database';
import {
  MigrationJob,
  MigrationStatus,
} from '@internal/plugin-feishu-migration-common';
import {
  LeasedJob,
  LeaseLostError,
  MigrationFile,
  MigrationJobPatch,
  MigrationStore,
  NewMigrationDocument,
  NewMigrationJob,
  StoredDocument,
  StoredFile,
} from './MigrationStore';

const JOBS = 'feishu_migration_jobs';
const DOCUMENTS = 'feishu_migration_documents';
const FILES = 'feishu_migration_files';

const json = (value: unknown) =>
  value === undefined ? null : JSON.stringify(value);
const parse = <T>(value: string | null | undefined): T | undefined =>
  value ? (JSON.parse(value) as T) : undefined;
const iso = (value: Date | string | null | undefined) =>
  value ? new Date(value).toISOString() : undefined;
const buffer = (value: unknown): Buffer | undefined =>
  value === null || value === undefined
    ? undefined
    : Buffer.from(value as Uint8Array);

const FINISHED_STATUSES: MigrationStatus[] = ['completed', 'failed'];

export class DatabaseMigrationStore implements MigrationStore {
  private readonly isPostgres: boolean;

  /** `now` stamps created and updated times; lease times come from the database's clock. */
  constructor(
    private readonly knex: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.isPostgres = isPostgres(knex);
  }

  async createJob(
    job: NewMigrationJob,
    documents: NewMigrationDocument[],
  ): Promise<void> {
    const now = this.now();
    await this.knex.transaction(async tx => {
      await tx(JOBS).insert({
        id: job.id,
        entity_ref: job.entityRef,
        created_by: job.createdBy,
        status: job.status,
        space_id: job.spaceId,
        space_name: job.spaceName,
        options: JSON.stringify({ options: job.options, target: job.target }),
        delivery: job.delivery,
        target: job.destination,
        branch: job.branch ?? null,
        skipped: JSON.stringify(job.skipped),
        documents_total: documents.length,
        created_at: now,
        updated_at: now,
      });
      // SQLite allows 999 bound variables per statement.
      await tx.batchInsert(
        DOCUMENTS,
        documents.map(doc => ({
          job_id: job.id,
          node_token: doc.nodeToken,
          obj_token: doc.objToken,
          obj_type: doc.objType,
          title: doc.title,
          path: doc.path,
          parent_node_token: doc.parentNodeToken,
          position: doc.position,
          status: 'pending',
          attempts: 0,
          updated_at: now,
        })),
        50,
      );
    });
  }

  private toJob(row: any, counts?: { converted: number; failed: number }) {
    const { options, target } = JSON.parse(row.options);
    const job: MigrationJob & { pullRequestNumber?: number } = {
      id: row.id,
      entityRef: row.entity_ref,
      createdBy: row.created_by,
      status: row.status,
      spaceId: row.space_id,
      spaceName: row.space_name,
      options,
      target,
      delivery: row.delivery,
      destination: row.target,
      branch: row.branch ?? undefined,
      pullRequestUrl: row.pull_request_url ?? undefined,
      pullRequestNumber: row.pull_request_number ?? undefined,
      mkdocsBuild: parse(row.mkdocs_build),
      permissionReport: parse(row.permission_report),
      skipped: parse(row.skipped) ?? [],
      error: row.error ?? undefined,
      documentsTotal: Number(row.documents_total),
      documentsConverted: Number(counts?.converted ?? 0),
      documentsFailed: Number(counts?.failed ?? 0),
      createdAt: iso(row.created_at)!,
      updatedAt: iso(row.updated_at)!,
      finishedAt: iso(row.finished_at),
    };
    return job;
  }

  private async counts(jobIds: string[]) {
    const rows = await this.knex(DOCUMENTS)
      .whereIn('job_id', jobIds)
      .select('job_id', 'status')
      .count({ n: '*' })
      .groupBy('job_id', 'status');
    const counts = new Map<string, { converted: number; failed: number }>();
    for (const row of rows as any[]) {
      const entry = counts.get(row.job_id) ?? { converted: 0, failed: 0 };
      if (row.status === 'converted') entry.converted = Number(row.n);
      if (row.status === 'failed') entry.failed = Number(row.n);
      counts.set(row.job_id, entry);
    }
    return counts;
  }

  async getJob(id: string) {
    const row = await this.knex(JOBS).where({ id }).first();
    if (!row) return undefined;
    return this.toJob(row, (await this.counts([id])).get(id));
  }

  async listJobs(filter: {
    entityRefs?: string[];
    limit: number;
    offset: number;
  }) {
    const query = this.knex(JOBS);
    if (filter.entityRefs) query.whereIn('entity_ref', filter.entityRefs);
    const [{ n }] = await query.clone().count({ n: '*' });
    const rows = await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset);
    const counts = await this.counts(rows.map(row => row.id));
    return {
      items: rows.map(row => this.toJob(row, counts.get(row.id))),
      totalItems: Number(n),
    };
  }

  async listJobEntityRefs(): Promise<string[]> {
    const rows = await this.knex(JOBS).distinct('entity_ref');
    return rows.map(row => row.entity_ref);
  }

  private jobUpdate(patch: MigrationJobPatch): Record<string, unknown> {
    const update: Record<string, unknown> = { updated_at: this.now() };
    if (patch.status !== undefined) {
      update.status = patch.status;
      update.failed_phase =
        patch.status === 'failed' ? patch.failedPhase ?? null : null;
    }
    if (patch.branch !== undefined) update.branch = patch.branch;
    if (patch.pullRequestUrl !== undefined)
      update.pull_request_url = patch.pullRequestUrl;
    if (patch.pullRequestNumber !== undefined)
      update.pull_request_number = patch.pullRequestNumber;
    if (patch.mkdocsBuild !== undefined)
      update.mkdocs_build = json(patch.mkdocsBuild);
    if (patch.permissionReport !== undefined)
      update.permission_report = json(patch.permissionReport);
    if (patch.error !== undefined) update.error = patch.error;
    if (patch.finishedAt !== undefined)
      update.finished_at = new Date(patch.finishedAt);
    return update;
  }

  async claimJob(
    id: string,
    owner: string,
    leaseMs: number,
  ): Promise<LeasedJob | undefined> {
    const token = crypto.randomUUID();
    const claimed = await this.knex(JOBS)
      .where({ id })
      .where(query =>
        query
          .whereNull('lease_expires_at')
          .orWhere('lease_expires_at', '<', databaseNow(this.knex)),
      )
      .update({
        lease_owner: owner,
        lease_token: token,
        lease_expires_at: databaseNowPlus(this.knex, leaseMs),
      });
    return claimed === 1 ? this.leasedJob(id, token) : undefined;
  }

  private leasedJob(jobId: string, token: string): LeasedJob {
    const held = { id: jobId, lease_token: token };
    /** Runs the writes in a transaction that first checks the lease (and, in PostgreSQL, holds a share lock on
     * the job, so that a claim by another run waits until they are committed). */
    const fenced = <T>(work: (tx: Knex.Transaction) => Promise<T>) =>
      this.knex.transaction(async tx => {
        const query = tx(JOBS).where(held).first('id');
        const row = await (this.isPostgres ? query.forShare() : query);
        if (!row) throw new LeaseLostError(jobId);
        return work(tx);
      });
    const updateJob = async (patch: MigrationJobPatch) => {
      const updated = await this.knex(JOBS)
        .where(held)
        .update(this.jobUpdate(patch));
      if (updated !== 1) throw new LeaseLostError(jobId);
    };
    return {
      jobId,
      renew: async leaseMs =>
        (await this.knex(JOBS)
          .where(held)
          .update({
            lease_expires_at: databaseNowPlus(this.knex, leaseMs),
          })) === 1,
      release: async () => {
        await this.knex(JOBS).where(held).update({
          lease_owner: null,
          lease_token: null,
          lease_expires_at: null,
        });
      },
      assertHeld: () => fenced(async () => undefined),
      updateJob,
      startDocument: nodeToken =>
        fenced(async tx => {
          await tx(DOCUMENTS)
            .where({ job_id: jobId, node_token: nodeToken })
            .update({
              attempts: tx.raw('attempts + 1'),
              updated_at: this.now(),
            });
        }),
      saveConvertedDocument: (nodeToken, result) =>
        fenced(async tx => {
          for (const file of result.files) {
            await this.upsertFile(tx, jobId, file);
          }
          await tx(DOCUMENTS)
            .where({ job_id: jobId, node_token: nodeToken })
            .update({
              status: 'converted',
              warnings: JSON.stringify(result.warnings),
              validation: json(result.validation),
              permissions: JSON.stringify(result.permissions),
              error: null,
              updated_at: this.now(),
            });
        }),
      failDocument: (nodeToken, error) =>
        fenced(async tx => {
          await tx(DOCUMENTS)
            .where({ job_id: jobId, node_token: nodeToken })
            .update({ status: 'failed', error, updated_at: this.now() });
        }),
      putFile: file => fenced(tx => this.upsertFile(tx, jobId, file)),
      recordPrevious: (path, previous) =>
        fenced(async tx => {
          await tx(FILES)
            .where({ job_id: jobId, path, previous_recorded: false })
            .update({
              previous_recorded: true,
              existed_before: previous !== undefined,
              previous_content: previous ?? null,
            });
        }),
      markWritten: (path, written) =>
        fenced(async tx => {
          await tx(FILES).where({ job_id: jobId, path }).update({ written });
        }),
    };
  }

  async listAbandonedJobs(statuses: MigrationStatus[]): Promise<string[]> {
    const rows = await this.knex(JOBS)
      .whereIn('status', statuses)
      .where(query =>
        query
          .whereNull('lease_expires_at')
          .orWhere('lease_expires_at', '<', databaseNow(this.knex)),
      )
      .orderBy('created_at')
      .select('id');
    return rows.map(row => row.id);
  }

  async retryFailed(jobId: string): Promise<boolean> {
    return this.knex.transaction(async tx => {
      const query = tx(JOBS).where({ id: jobId, status: 'failed' });
      const job = await (this.isPostgres ? query.forUpdate() : query).first(
        'failed_phase',
      );
      if (!job) return false;
      const phase: MigrationStatus | null = job.failed_phase;
      let resume: MigrationStatus = phase ?? 'converting';
      if (!phase || phase === 'converting') {
        const reset = await tx(DOCUMENTS)
          .where({ job_id: jobId, status: 'failed' })
          .update({ status: 'pending', error: null, updated_at: this.now() });
        // Jobs from before the phase was stored failed either converting pages or after all were converted.
        if (!phase && reset === 0) resume = 'validating';
      }
      await tx(JOBS).where({ id: jobId, status: 'failed' }).update({
        status: resume,
        failed_phase: null,
        error: null,
        finished_at: null,
        updated_at: this.now(),
      });
      return true;
    });
  }

  async requestRollback(jobId: string): Promise<boolean> {
    const updated = await this.knex(JOBS)
      .where({ id: jobId })
      .whereIn('status', FINISHED_STATUSES)
      .update({
        status: 'rolling_back',
        failed_phase: null,
        error: null,
        finished_at: null,
        updated_at: this.now(),
      });
    return updated === 1;
  }

  async listDocuments(jobId: string): Promise<StoredDocument[]> {
    const rows = await this.knex(DOCUMENTS)
      .where({ job_id: jobId })
      .orderBy('position');
    return rows.map(row => ({
      nodeToken: row.node_token,
      objToken: row.obj_token,
      objType: row.obj_type,
      title: row.title,
      path: row.path,
      parentNodeToken: row.parent_node_token,
      position: Number(row.position),
      status: row.status,
      attempts: Number(row.attempts),
      warnings: parse<string[]>(row.warnings) ?? [],
      validation: parse(row.validation),
      permissions: parse(row.permissions) ?? [],
      error: row.error ?? undefined,
    }));
  }

  private async upsertFile(db: Knex, jobId: string, file: MigrationFile) {
    await db(FILES)
      .insert({
        job_id: jobId,
        path: file.path,
        kind: file.kind,
        node_token: file.nodeToken ?? null,
        content: file.content,
      })
      .onConflict(['job_id', 'path'])
      .merge(['kind', 'node_token', 'content']);
  }

  async listFiles(
    jobId: string,
    options: { kind?: MigrationFile['kind'] } = {},
  ): Promise<StoredFile[]> {
    const query = this.knex(FILES).where({ job_id: jobId });
    if (options.kind) query.where({ kind: options.kind });
    const rows = await query.orderBy('path');
    return rows.map(row => ({
      path: row.path,
      kind: row.kind,
      nodeToken: row.node_token ?? undefined,
      content: buffer(row.content)!,
      previousRecorded: Boolean(row.previous_recorded),
      existedBefore:
        row.existed_before === null ? undefined : Boolean(row.existed_before),
      previousContent: buffer(row.previous_content),
      written: Boolean(row.written),
    }));
  }
}
