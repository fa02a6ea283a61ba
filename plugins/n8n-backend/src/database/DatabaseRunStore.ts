import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  databaseNow,
  databaseNowPlus,
  timestampOf,
} from '@internal/backend-database';
import {
  isTerminal,
  RunStatus,
  TERMINAL_STATUSES,
  WorkflowRun,
} from '@internal/plugin-n8n-common';
import {
  NewRun,
  RunListQuery,
  RunStore,
  RunUpdate,
  StoredRun,
} from './RunStore';

const RUNS = 'n8n_runs';
const RECEIPTS = 'n8n_callback_receipts';

type Timestamp = Date | string | number;

interface RunRow {
  id: string;
  kind: string;
  action_id: string | null;
  workflow_id: string;
  workflow_name: string;
  entity_ref: string | null;
  requested_by: string;
  input: string;
  status: string;
  execution_id: string | null;
  result: string | null;
  error: string | null;
  grant_id: string | null;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  updated_at: Timestamp;
}

const iso = (value: Timestamp) => timestampOf(value).toISOString();

function toRun(row: RunRow): StoredRun {
  return {
    id: row.id,
    kind: row.kind as WorkflowRun['kind'],
    ...(row.action_id ? { actionId: row.action_id } : {}),
    workflowId: row.workflow_id,
    workflow: row.workflow_name,
    ...(row.entity_ref ? { entityRef: row.entity_ref } : {}),
    requestedBy: row.requested_by,
    input: JSON.parse(row.input),
    status: row.status as RunStatus,
    ...(row.execution_id ? { executionId: row.execution_id } : {}),
    ...(row.result ? { result: JSON.parse(row.result) } : {}),
    ...(row.error ? { error: row.error } : {}),
    ...(row.grant_id ? { grantId: row.grant_id } : {}),
    createdAt: iso(row.created_at),
    ...(row.started_at ? { startedAt: iso(row.started_at) } : {}),
    ...(row.finished_at ? { finishedAt: iso(row.finished_at) } : {}),
    updatedAt: iso(row.updated_at),
  };
}

/** Runs in the n8n plugin's database; times from the database's clock, status changes fenced on the status. */
export class DatabaseRunStore implements RunStore {
  constructor(private readonly knex: Knex) {}

  async create(run: NewRun): Promise<StoredRun> {
    const id = randomUUID();
    await this.knex(RUNS).insert({
      id,
      kind: run.kind,
      action_id: run.actionId ?? null,
      workflow_id: run.workflowId,
      workflow_name: run.workflowName,
      entity_ref: run.entityRef ?? null,
      requested_by: run.requestedBy,
      input: JSON.stringify(run.input),
      status: 'pending',
      created_at: databaseNow(this.knex),
      updated_at: databaseNow(this.knex),
    });
    return (await this.get(id))!;
  }

  async get(id: string): Promise<StoredRun | undefined> {
    const row = await this.knex<RunRow>(RUNS).where({ id }).first();
    return row ? toRun(row) : undefined;
  }

  async list(query: RunListQuery): Promise<StoredRun[]> {
    const rows = this.knex<RunRow>(RUNS)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(query.limit);
    if (query.requestedBy) rows.where({ requested_by: query.requestedBy });
    if (query.entityRef) rows.where({ entity_ref: query.entityRef });
    return (await rows).map(toRun);
  }

  async lastRunsOf(
    entityRef: string,
    workflowNames: string[],
    perWorkflow: number,
  ): Promise<StoredRun[]> {
    if (workflowNames.length === 0) return [];
    const ranked = this.knex(RUNS)
      .select(
        '*',
        this.knex.raw(
          'row_number() over (partition by workflow_name order by created_at desc, id desc) as position',
        ),
      )
      .where({ entity_ref: entityRef, kind: 'entity-workflow' })
      .whereIn('workflow_name', workflowNames)
      .as('ranked');
    const rows = await this.knex
      .select('*')
      .from(ranked)
      .where('position', '<=', perWorkflow)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    return (rows as RunRow[]).map(toRun);
  }

  async update(id: string, update: RunUpdate): Promise<StoredRun | undefined> {
    const now = databaseNow(this.knex);
    const changes: Record<string, unknown> = {
      status: update.status,
      updated_at: now,
    };
    if (update.executionId) changes.execution_id = update.executionId;
    if (update.result) changes.result = JSON.stringify(update.result);
    if (update.error) changes.error = update.error;
    if (update.grantId) changes.grant_id = update.grantId;
    if (update.status !== 'pending' && update.from === 'pending') {
      changes.started_at = now;
    }
    if (isTerminal(update.status) && !isTerminal(update.from)) {
      changes.finished_at = now;
    }
    const query = this.knex(RUNS).where({ id, status: update.from });
    if (isTerminal(update.from)) {
      // A finished run takes one result (a callback after the follower saw the end), never a second.
      if (update.status !== update.from || !update.result) return undefined;
      query.whereNull('result');
    }
    const updated = await query.update(changes);
    return updated === 1 ? this.get(id) : undefined;
  }

  async unfinished(limit: number): Promise<StoredRun[]> {
    const rows = await this.knex<RunRow>(RUNS)
      .whereNotIn('status', TERMINAL_STATUSES as RunStatus[])
      .orderBy('created_at', 'asc')
      .limit(limit);
    return rows.map(toRun);
  }

  async acceptSignatureOnce(
    signature: string,
    runId: string,
    forgetAfterMs: number,
  ): Promise<boolean> {
    await this.knex(RECEIPTS)
      .where('received_at', '<', databaseNowPlus(this.knex, -forgetAfterMs))
      .delete();
    const inserted = await this.knex(RECEIPTS)
      .insert({ signature, run_id: runId, received_at: databaseNow(this.knex) })
      .onConflict('signature')
      .ignore()
      .returning('signature');
    return inserted.length === 1;
  }

  async forgetSignature(signature: string): Promise<void> {
    await this.knex(RECEIPTS).where({ signature }).delete();
  }
}
