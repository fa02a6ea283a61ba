import { Knex } from 'knex';
import { IndexedDocument, IndexedDocumentStore } from './IndexedDocumentStore';

const TABLE = 'portal_search_documents';
const BATCH = 500;

interface Row {
  type: string;
  location: string;
  title: string;
  resource_ref: string | null;
  hash: string;
  changed_at: Date | string;
}

export class DatabaseIndexedDocumentStore implements IndexedDocumentStore {
  constructor(private readonly knex: Knex) {}

  async ofType(type: string) {
    const rows: Row[] = await this.knex(TABLE).where({ type });
    return new Map(
      rows.map(row => [
        row.location,
        {
          location: row.location,
          title: row.title,
          resourceRef: row.resource_ref ?? undefined,
          hash: row.hash,
          changedAt: new Date(row.changed_at),
        },
      ]),
    );
  }

  async replaceType(type: string, documents: IndexedDocument[]) {
    await this.knex.transaction(async tx => {
      await tx(TABLE).where({ type }).delete();
      const rows = documents.map(d => ({
        type,
        location: d.location,
        title: d.title,
        resource_ref: d.resourceRef ?? null,
        hash: d.hash,
        changed_at: d.changedAt,
      }));
      for (let i = 0; i < rows.length; i += BATCH) {
        await tx(TABLE)
          .insert(rows.slice(i, i + BATCH))
          .onConflict(['type', 'location'])
          .merge();
      }
    });
  }

  async titles(readableRefs: ReadonlySet<string>) {
    const rows: Array<Pick<Row, 'title' | 'resource_ref'>> = await this.knex(
      TABLE,
    )
      .distinct('title', 'resource_ref')
      .select();
    return [
      ...new Set(
        rows
          .filter(
            row => !row.resource_ref || readableRefs.has(row.resource_ref),
          )
          .map(row => row.title),
      ),
    ];
  }

  async countsByType() {
    const rows: Array<{ type: string; count: string | number }> =
      await this.knex(TABLE)
        .select('type')
        .count({ count: '*' })
        .groupBy('type');
    return new Map(rows.map(row => [row.type, Number(row.count)]));
  }
}
