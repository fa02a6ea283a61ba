import { Knex } from 'knex';
import { DocsBuild, DocsBuildStatus, DocsBuildStore } from './DocsBuildStore';

const TABLE = 'techdocs_builds';

interface Row {
  entity_ref: string;
  status: DocsBuildStatus;
  error: string | null;
  last_attempt_at: Date | string;
  last_success_at: Date | string | null;
  last_build_started_at: Date | string | null;
  published_build_timestamp: string | number | null;
}

const isoOf = (value: Date | string) => new Date(value).toISOString();

/** Times come from the database's clock, so replicas agree on them. */
export class DatabaseDocsBuildStore implements DocsBuildStore {
  constructor(private readonly knex: Knex) {}

  async get(entityRef: string): Promise<DocsBuild | undefined> {
    const row: Row | undefined = await this.knex(TABLE)
      .where({ entity_ref: entityRef })
      .first();
    if (!row) return undefined;
    return {
      entityRef: row.entity_ref,
      status: row.status,
      ...(row.error ? { error: row.error } : {}),
      lastAttemptAt: isoOf(row.last_attempt_at),
      ...(row.last_success_at
        ? { lastSuccessAt: isoOf(row.last_success_at) }
        : {}),
    };
  }

  async lastBuildsStarted() {
    const rows: Row[] = await this.knex(TABLE)
      .whereNotNull('last_build_started_at')
      .select('entity_ref', 'last_build_started_at');
    return new Map(
      rows.map(row => [row.entity_ref, new Date(row.last_build_started_at!)]),
    );
  }

  async buildStarted(entityRef: string) {
    await this.knex(TABLE)
      .insert({
        entity_ref: entityRef,
        status: 'unpublished',
        last_attempt_at: this.knex.fn.now(),
        last_build_started_at: this.knex.fn.now(),
      })
      .onConflict('entity_ref')
      .merge(['last_attempt_at', 'last_build_started_at']);
  }

  async published(entityRef: string, buildTimestamp: number) {
    return this.knex.transaction(async tx => {
      const row: Row | undefined = await tx(TABLE)
        .where({ entity_ref: entityRef })
        .forUpdate()
        .first();
      const seen =
        row?.published_build_timestamp !== null &&
        row?.published_build_timestamp !== undefined &&
        Number(row.published_build_timestamp) === buildTimestamp;
      const changes = seen
        ? { last_attempt_at: tx.fn.now() }
        : {
            status: 'built',
            error: null,
            last_attempt_at: tx.fn.now(),
            last_success_at: new Date(buildTimestamp),
            published_build_timestamp: buildTimestamp,
          };
      if (row) {
        await tx(TABLE).where({ entity_ref: entityRef }).update(changes);
      } else {
        await tx(TABLE).insert({
          entity_ref: entityRef,
          status: 'built',
          last_attempt_at: tx.fn.now(),
          last_success_at: new Date(buildTimestamp),
          published_build_timestamp: buildTimestamp,
        });
      }
      return !seen;
    });
  }

  async failed(
    entityRef: string,
    status: Exclude<DocsBuildStatus, 'built'>,
    error: string,
  ) {
    await this.knex(TABLE)
      .insert({
        entity_ref: entityRef,
        status,
        error,
        last_attempt_at: this.knex.fn.now(),
      })
      .onConflict('entity_ref')
      .merge(['status', 'error', 'last_attempt_at']);
  }
}
