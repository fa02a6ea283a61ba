import { Knex } from 'knex';
import {
  DatabaseDocumentStore,
  DocumentResultRow,
  PgSearchQuery,
} from '@backstage/plugin-search-backend-module-pg';
import { IndexableDocument } from '@backstage/plugin-search-common';
import { MAX_RECENCY_FACTOR, recencyFactorSql } from './recency';

/** The "any word" form of Backstage's all-words tsquery ("(a | a:*)&(b | b:*)"). */
export function anyWordOf(pgTerm: string | undefined) {
  return pgTerm ? pgTerm.split(')&(').join(')|(') : undefined;
}

/**
 * Backstage's PostgreSQL document store, ranking by text relevance (title weighted over text, as the
 * store's tsvector does) times how recently the document changed; and the matches of a query, unpaged and
 * without highlights, for facet counts. Text relevance is ts_rank, not Backstage's ts_rank_cd: cover
 * density costs about seven times as much per match with the prefix terms Backstage's query has, and
 * ranked the evaluation questions no better (bench/search.bench.ts and relevance.test.ts).
 */
export class RankedDocumentStore extends DatabaseDocumentStore {
  /** The rows with any word of the query, narrowed by types and field filters as Backstage's store does. */
  private matching(
    tx: Knex.Transaction,
    q: Omit<PgSearchQuery, 'options' | 'offset' | 'limit'>,
  ) {
    const query = tx('documents');
    const anyWord = anyWordOf(q.pgTerm);
    if (anyWord) {
      query
        .from(tx.raw("documents, to_tsquery('english', ?) query", [anyWord]))
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
   * Any word of the query matches; documents with every word rank first (twice their text rank), then by
   * how many and how well the words match. Deciding this per query, not from what the index holds, keeps
   * a hidden document from changing what anyone else's search returns.
   */
  async query(
    tx: Knex.Transaction,
    searchQuery: PgSearchQuery,
  ): Promise<DocumentResultRow[]> {
    return this.rankedRows(tx, searchQuery);
  }

  private async rankedRows(
    tx: Knex.Transaction,
    searchQuery: PgSearchQuery,
  ): Promise<DocumentResultRow[]> {
    const { pgTerm, offset, limit, normalization = 0, options } = searchQuery;
    // A cursor that is not a page (Backstage passes it through) reads the first page.
    const start = Number.isInteger(offset) && offset > 0 ? offset : 0;
    const textRank = pgTerm
      ? tx.raw(
          `ts_rank(body, query, ${
            Number(normalization) | 0
          }) * (CASE WHEN body @@ to_tsquery('english', ?) THEN 2 ELSE 1 END)`,
          [pgTerm],
        )
      : tx.raw('1');
    const matched = this.matching(tx, searchQuery).select(
      'hash',
      tx.raw(`document->>'lastModified' AS last_modified`),
      tx.raw(`? AS text_rank`, [textRank]),
    );
    // Recency lifts a text rank by at most MAX_RECENCY_FACTOR, so a match whose text rank is below the
    // page's last text rank divided by it cannot reach the page: only the others are ranked by recency.
    const page = tx
      .select(
        'hash',
        tx.raw(`text_rank * ${recencyFactorSql('last_modified')} AS "rank"`),
      )
      .from(
        tx.raw(
          `matched, (SELECT coalesce(min(text_rank), 0) / ${MAX_RECENCY_FACTOR} AS lowest FROM (SELECT text_rank FROM matched ORDER BY text_rank DESC LIMIT ?) window_ranks) reachable`,
          [start + limit],
        ),
      )
      .whereRaw('text_rank >= reachable.lowest')
      // Equal ranks in the same order on every page, so that paging neither repeats nor skips one.
      .orderBy([{ column: 'rank', order: 'desc' }, 'hash'])
      .offset(start)
      .limit(limit);
    const query = tx
      .withMaterialized('matched', matched)
      .select(
        'documents.type',
        'documents.document',
        'page.rank',
        'page.hash',
        tx.raw('(SELECT count(*) FROM matched) AS total_count'),
      )
      .from(page.as('page'))
      .join('documents', 'documents.hash', 'page.hash')
      .orderBy([{ column: 'page.rank', order: 'desc' }, 'page.hash']);
    if (!pgTerm || !options.useHighlight) return query;
    // Highlights of the page's rows only, and of the fields shown: the costly part of a query.
    const headline = `MaxWords=${options.maxWords}, MinWords=${options.minWords}, ShortWord=${options.shortWord}, HighlightAll=${options.highlightAll}, MaxFragments=${options.maxFragments}, FragmentDelimiter=${options.fragmentDelimiter}, StartSel=${options.preTag}, StopSel=${options.postTag}`;
    return tx
      .select(
        'page.type',
        'page.document',
        'page.rank',
        'page.total_count',
        tx.raw(
          `jsonb_build_object('title', ts_headline('english', coalesce(page.document->>'title', ''), q, ?), 'text', ts_headline('english', coalesce(page.document->>'text', ''), q, ?)) AS "highlight"`,
          [headline, headline],
        ),
      )
      .from(query.as('page'))
      .crossJoin(tx.raw("to_tsquery('english', ?) q", [anyWordOf(pgTerm)!]))
      .orderBy([{ column: 'page.rank', order: 'desc' }, 'page.hash']);
  }

  /**
   * The facet fields of the matches the caller may read (no resource, or one of theirs), filtered in the
   * database before the cap, so hidden documents neither count nor crowd out readable ones.
   */
  async matches(
    tx: Knex.Transaction,
    searchQuery: Omit<PgSearchQuery, 'options' | 'offset' | 'limit'>,
    readableRefs: ReadonlySet<string>,
    cap: number,
  ): Promise<Array<{ type: string; document: IndexableDocument }>> {
    return this.matching(tx, searchQuery)
      .where(readable =>
        readable
          .whereRaw("document->'authorization'->>'resourceRef' IS NULL")
          .orWhereRaw("document->'authorization'->>'resourceRef' = ANY(?)", [
            [...readableRefs],
          ]),
      )
      .select(
        'type',
        tx.raw(
          `jsonb_build_object('kind', document->'kind', 'type', document->'type', 'owner', document->'owner', 'lifecycle', document->'lifecycle', 'tags', document->'tags', 'authorization', document->'authorization') AS document`,
        ),
      )
      .limit(cap);
  }
}
