import { Knex } from 'knex';
import {
  DatabaseDocumentStore,
  DocumentResultRow,
  PgSearchQuery,
} from '@backstage/plugin-search-backend-module-pg';
import { IndexableDocument } from '@backstage/plugin-search-common';
import { RECENCY_FACTOR_SQL } from './recency';

/** The "any word" form of Backstage's all-words tsquery ("(a | a:*)&(b | b:*)"), if it has several words. */
export function anyWordOf(pgTerm: string | undefined) {
  if (!pgTerm || !pgTerm.includes(')&(')) return undefined;
  return pgTerm.split(')&(').join(')|(');
}

/**
 * Backstage's PostgreSQL document store, ranking by text relevance (title weighted over text, as the
 * store's tsvector does) times how recently the document changed; and the matches of a query, unpaged and
 * without highlights, for facet counts.
 */
export class RankedDocumentStore extends DatabaseDocumentStore {
  /** The query's matching rows, narrowed by types and field filters as Backstage's store does. */
  private matching(
    tx: Knex.Transaction,
    q: Omit<PgSearchQuery, 'options' | 'offset' | 'limit'>,
  ) {
    const query = tx('documents');
    if (q.pgTerm) {
      query
        .from(tx.raw("documents, to_tsquery('english', ?) query", q.pgTerm))
        .whereRaw('query @@ body');
    }
    if (q.types) query.whereIn('type', q.types);
    for (const [key, value] of Object.entries(q.fields ?? {})) {
      const values = Array.isArray(value) ? value : [value];
      const contained = [
        ...values.map(v => JSON.stringify({ [key]: v })),
        ...values.map(v => JSON.stringify({ [key]: [v] })),
      ];
      query.whereRaw(
        `(${contained.map(() => 'document @> ?').join(' OR ')})`,
        contained,
      );
    }
    return query;
  }

  /**
   * Every word must match, as Backstage's store asks; when that finds nothing (a question typed as a
   * sentence, a word no document has), any word may, ranked by how many and how well they match.
   */
  async query(
    tx: Knex.Transaction,
    searchQuery: PgSearchQuery,
  ): Promise<DocumentResultRow[]> {
    const rows = await this.rankedRows(tx, searchQuery);
    const anyWord = anyWordOf(searchQuery.pgTerm);
    if (rows.length > 0 || !anyWord || searchQuery.offset > 0) return rows;
    return this.rankedRows(tx, { ...searchQuery, pgTerm: anyWord });
  }

  private async rankedRows(
    tx: Knex.Transaction,
    searchQuery: PgSearchQuery,
  ): Promise<DocumentResultRow[]> {
    const { pgTerm, offset, limit, normalization = 0, options } = searchQuery;
    const query = this.matching(tx, searchQuery)
      .select('type', 'document')
      .select(tx.raw('COUNT(*) OVER() AS total_count'));
    if (pgTerm) {
      query.select(
        tx.raw(
          `ts_rank_cd(body, query, ${
            Number(normalization) | 0
          }) * ${RECENCY_FACTOR_SQL} AS "rank"`,
        ),
      );
    } else {
      query.select(tx.raw(`${RECENCY_FACTOR_SQL} AS "rank"`));
    }
    query.orderBy('rank', 'desc').offset(offset).limit(limit);
    if (!pgTerm || !options.useHighlight) return query;
    // Highlights of the page's rows only, and of the fields shown: the costly part of a query.
    const headline = `MaxWords=${options.maxWords}, MinWords=${options.minWords}, ShortWord=${options.shortWord}, HighlightAll=${options.highlightAll}, MaxFragments=${options.maxFragments}, FragmentDelimiter=${options.fragmentDelimiter}, StartSel=${options.preTag}, StopSel=${options.postTag}`;
    return tx
      .select(
        'page.*',
        tx.raw(
          `jsonb_build_object('title', ts_headline('english', coalesce(page.document->>'title', ''), q, ?), 'text', ts_headline('english', coalesce(page.document->>'text', ''), q, ?)) AS "highlight"`,
          [headline, headline],
        ),
      )
      .from(query.as('page'))
      .crossJoin(tx.raw("to_tsquery('english', ?) q", [pgTerm]))
      .orderBy('page.rank', 'desc');
  }

  /** Every match's type and facet fields, for counting (any word, as the query falls back); at most `cap`. */
  async matches(
    tx: Knex.Transaction,
    searchQuery: Omit<PgSearchQuery, 'options' | 'offset' | 'limit'>,
    cap: number,
  ): Promise<Array<{ type: string; document: IndexableDocument }>> {
    const rows = await this.facetRows(tx, searchQuery, cap);
    const anyWord = anyWordOf(searchQuery.pgTerm);
    if (rows.length > 0 || !anyWord) return rows;
    return this.facetRows(tx, { ...searchQuery, pgTerm: anyWord }, cap);
  }

  private facetRows(
    tx: Knex.Transaction,
    searchQuery: Omit<PgSearchQuery, 'options' | 'offset' | 'limit'>,
    cap: number,
  ): Promise<Array<{ type: string; document: IndexableDocument }>> {
    return this.matching(tx, searchQuery)
      .select(
        'type',
        tx.raw(
          `jsonb_build_object('kind', document->'kind', 'type', document->'type', 'owner', document->'owner', 'lifecycle', document->'lifecycle', 'tags', document->'tags', 'authorization', document->'authorization') AS document`,
        ),
      )
      .limit(cap);
  }
}
