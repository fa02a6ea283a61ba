import { Knex } from 'knex';
import {
  MigrationDocument,
  MigrationJob,
  MigrationStatus,
} from '@internal/plugin-feishu-migration-common';
import {
  FeishuPermission,
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

export class DatabaseMigrationStore implements MigrationStore {
  constructor(
    private readonly knex: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

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

  async updateJob(id: string, patch: MigrationJobPatch): Promise<void> {
    const update: Record<string, unknown> = { updated_at: this.now() };
    if (patch.status !== undefined) update.status = patch.status;
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
    await this.knex(JOBS).where({ id }).update(update);
  }

  async claimJob(id: string, owner: string, leaseMs: number) {
    const now = this.now();
    const updated = await this.knex(JOBS)
      .where({ id })
      .where(query =>
        query
          .whereNull('lease_expires_at')
          .orWhere('lease_expires_at', '<', now)
          .orWhere('lease_owner', owner),
      )
      .update({
        lease_owner: owner,
        lease_expires_at: new Date(now.getTime() + leaseMs),
      });
    return updated === 1;
  }

  async renewLease(id: string, owner: string, leaseMs: number) {
    const updated = await this.knex(JOBS)
      .where({ id, lease_owner: owner })
      .update({
        lease_expires_at: new Date(this.now().getTime() + leaseMs),
      });
    return updated === 1;
  }

  async releaseJob(id: string, owner: string): Promise<void> {
    await this.knex(JOBS)
      .where({ id, lease_owner: owner })
      .update({ lease_owner: null, lease_expires_at: null });
  }

  async listAbandonedJobs(statuses: MigrationStatus[]): Promise<string[]> {
    const rows = await this.knex(JOBS)
      .whereIn('status', statuses)
      .where(query =>
        query
          .whereNull('lease_expires_at')
          .orWhere('lease_expires_at', '<', this.now()),
      )
      .orderBy('created_at')
      .select('id');
    return rows.map(row => row.id);
  }

  async retryFailed(jobId: string): Promise<void> {
    await this.knex.transaction(async tx => {
      const reset = await tx(DOCUMENTS)
        .where({ job_id: jobId, status: 'failed' })
        .update({ status: 'pending', error: null, updated_at: this.now() });
      await tx(JOBS)
        .where({ id: jobId, status: 'failed' })
        .update({
          status: reset > 0 ? 'converting' : 'validating',
          error: null,
          finished_at: null,
          updated_at: this.now(),
        });
    });
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

  async startDocument(jobId: string, nodeToken: string): Promise<void> {
    await this.knex(DOCUMENTS)
      .where({ job_id: jobId, node_token: nodeToken })
      .update({
        attempts: this.knex.raw('attempts + 1'),
        updated_at: this.now(),
      });
  }

  async saveConvertedDocument(
    jobId: string,
    nodeToken: string,
    result: {
      files: MigrationFile[];
      warnings: string[];
      validation: MigrationDocument['validation'];
      permissions: FeishuPermission[];
    },
  ): Promise<void> {
    await this.knex.transaction(async tx => {
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
    });
  }

  async failDocument(jobId: string, nodeToken: string, error: string) {
    await this.knex(DOCUMENTS)
      .where({ job_id: jobId, node_token: nodeToken })
      .update({ status: 'failed', error, updated_at: this.now() });
  }

  async setDocumentValidation(
    jobId: string,
    nodeToken: string,
    validation: MigrationDocument['validation'],
  ): Promise<void> {
    await this.knex(DOCUMENTS)
      .where({ job_id: jobId, node_token: nodeToken })
      .update({ validation: json(validation), updated_at: this.now() });
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

  async putFile(jobId: string, file: MigrationFile): Promise<void> {
    await this.upsertFile(this.knex, jobId, file);
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

  async recordPrevious(
    jobId: string,
    path: string,
    previous: Buffer | undefined,
  ): Promise<void> {
    await this.knex(FILES)
      .where({ job_id: jobId, path, previous_recorded: false })
      .update({
        previous_recorded: true,
        existed_before: previous !== undefined,
        previous_content: previous ?? null,
      });
  }

  async markWritten(jobId: string, path: string, written: boolean) {
    await this.knex(FILES).where({ job_id: jobId, path }).update({ written });
  }
}
