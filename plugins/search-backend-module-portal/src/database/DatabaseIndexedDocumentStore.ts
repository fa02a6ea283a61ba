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

/** Titles are read again after this: suggestions see a re-index that much later. */
const TITLES_READ_MS = 10_000;

export class DatabaseIndexedDocumentStore implements IndexedDocumentStore {
  /** The titles as last read on this replica, for a few seconds: suggestions are asked per keystroke. */
  private titlesRead?: {
    rows: Promise<Array<Pick<Row, 'title' | 'resource_ref'>>>;
    at: number;
  };

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
    this.titlesRead = undefined;
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

  private allTitles() {
    const now = Date.now();
    if (!this.titlesRead || now - this.titlesRead.at > TITLES_READ_MS) {
      const rows = this.knex(TABLE)
        .distinct('title', 'resource_ref')
        .select() as Promise<Array<Pick<Row, 'title' | 'resource_ref'>>>;
      this.titlesRead = { rows, at: now };
      rows.catch(() => {
        this.titlesRead = undefined;
      });
    }
    return this.titlesRead.rows;
  }

  async titles(readableRefs: ReadonlySet<string>) {
    const rows = await this.allTitles();
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
