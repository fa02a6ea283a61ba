import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import MiniSearch from 'minisearch';
import stem from 'wink-porter2-stemmer';
import { databaseNow, isPostgres } from '@internal/backend-database';
import { SourceKind } from '@internal/plugin-ai-assistant-common';
import {
  ChunkStore,
  IndexedSource,
  RetrievalQuery,
  RetrievedChunk,
} from './ChunkStore';
import { questionTerms } from './questionTerms';

interface ChunkRow {
  id: string | number;
  source_kind: SourceKind;
  source_key: string;
  title: string;
  url: string;
  heading: string | null;
  text: string;
  required_refs: string[] | string;
  boost: number;
  score?: number;
}

/**
 * ts_rank's weights of text, heading and title (PostgreSQL orders them D, C, B, A): title 1.0, heading 0.7,
 * text 0.5. With PostgreSQL's defaults (text 0.2) an entity whose description answers the question lost to
 * others that merely had one of its words in their title (the evaluation set in relevance.test.ts).
 */
const RANK_WEIGHTS = '{0.1, 0.5, 0.7, 1.0}';

/** What a search reads of each chunk. */
const CHUNK_COLUMNS = [
  'id',
  'source_kind',
  'source_key',
  'title',
  'url',
  'heading',
  'text',
  'required_refs',
];

/**
 * A word more than this share of chunks hold makes no chunk a candidate by itself (in an index of more
 * than COMMON_WORD_MIN_CHUNKS / COMMON_WORD_SHARE chunks: in a small one every word counts).
 */
const COMMON_WORD_SHARE = 0.2;
const COMMON_WORD_MIN_CHUNKS = 200;

const hashOf = (source: IndexedSource) =>
  createHash('sha256')
    .update(
      JSON.stringify([source.requiredRefs, source.boost, source.fingerprint]),
    )
    .digest('hex');

/**
 * The retrieval index in the plugin's database. PostgreSQL ranks by full-text relevance, each word of the
 * question weighted by how rare it is among the chunks (title over heading over text), times the source's
 * boost, and leaves out in SQL every chunk that needs an entity the asker cannot read. SQLite
 * (development) ranks the same chunks in process with MiniSearch (BM25, Porter2 stems as PostgreSQL's
 * english configuration), rebuilt when the index changes.
 */
export class DatabaseChunkStore implements ChunkStore {
  private inProcess?: {
    version: string;
    search: MiniSearch;
    rows: Map<string, ChunkRow>;
  };

  constructor(private readonly knex: Knex) {}

  private refsColumn(refs: string[]) {
    return isPostgres(this.knex) ? refs : JSON.stringify(refs);
  }

  async replaceSource(source: IndexedSource): Promise<boolean> {
    const hash = hashOf(source);
    const where = { source_kind: source.kind, source_key: source.key };
    // Every chunk of a source carries the source's hash, written in one transaction.
    const current = await this.knex('ai_chunks').where(where).first('hash');
    if (current?.hash === hash) return false;
    const chunks = await source.chunks();
    await this.knex.transaction(async tx => {
      await tx('ai_chunks').where(where).delete();
      const rows = chunks.map((chunk, index) => ({
        ...where,
        chunk_index: index,
        required_refs: this.refsColumn([
          ...new Set([...source.requiredRefs, ...(chunk.alsoRequires ?? [])]),
        ]),
        title: chunk.title,
        url: chunk.url,
        heading: chunk.heading ?? null,
        text: chunk.text,
        boost: source.boost,
        hash,
        updated_at: databaseNow(tx),
      }));
      for (let i = 0; i < rows.length; i += 200) {
        // Another replica indexing the same source at once leaves one copy, not a conflict.
        await tx('ai_chunks')
          .insert(rows.slice(i, i + 200))
          .onConflict(['source_kind', 'source_key', 'chunk_index'])
          .merge();
      }
    });
    return true;
  }

  async removeSourcesExcept(kind: SourceKind, keep: string[]) {
    const keys = (await this.knex('ai_chunks')
      .where({ source_kind: kind })
      .distinct('source_key')) as Array<{ source_key: string }>;
    const kept = new Set(keep);
    const gone = keys.map(k => k.source_key).filter(key => !kept.has(key));
    let removed = 0;
    for (let i = 0; i < gone.length; i += 500) {
      removed += await this.knex('ai_chunks')
        .where({ source_kind: kind })
        .whereIn('source_key', gone.slice(i, i + 500))
        .delete();
    }
    return removed;
  }

  removeSource(kind: SourceKind, key: string) {
    return this.knex('ai_chunks')
      .where({ source_kind: kind, source_key: key })
      .delete();
  }

  async count() {
    const [{ count }] = await this.knex('ai_chunks').count({ count: '*' });
    return Number(count);
  }

  async search(query: RetrievalQuery): Promise<RetrievedChunk[]> {
    const terms = questionTerms(query.question);
    if (terms.length === 0 || query.limit <= 0) return [];
    const rows = isPostgres(this.knex)
      ? await this.searchPostgres(terms, query)
      : await this.searchInProcess(terms, query);
    return rows.map(row => ({
      id: String(row.id),
      kind: row.source_kind,
      sourceKey: row.source_key,
      title: row.title,
      url: row.url,
      ...(row.heading ? { heading: row.heading } : {}),
      text: row.text,
      requiredRefs: this.refsOf(row),
      score: Number(row.score),
    }));
  }

  private refsOf(row: ChunkRow): string[] {
    return typeof row.required_refs === 'string'
      ? JSON.parse(row.required_refs)
      : row.required_refs;
  }

  async refreshTermStats() {
    if (!isPostgres(this.knex)) return;
    await this.knex.transaction(async tx => {
      // One refresh at a time across replicas; another waits and then rewrites the same counts.
      await tx.raw('LOCK TABLE ai_term_stats IN EXCLUSIVE MODE');
      await tx('ai_term_stats').delete();
      await tx.raw(
        `INSERT INTO ai_term_stats (lexeme, chunks)
         SELECT word, ndoc FROM ts_stat('SELECT tsv FROM ai_chunks')
         UNION ALL SELECT '', count(*) FROM ai_chunks`,
      );
    });
  }

  /**
   * The question's words (stemmed, stop words dropped) with how many chunks hold each and their BM25
   * inverse document frequency.
   */
  private async wordsOf(question: string) {
    const { rows } = await this.knex.raw(
      `SELECT asked.lexeme, coalesce(stats.chunks, 0) AS chunks, total.chunks AS total
       FROM unnest(tsvector_to_array(to_tsvector('english', ?))) AS asked(lexeme)
       CROSS JOIN (SELECT coalesce(max(chunks), 0) AS chunks FROM ai_term_stats WHERE lexeme = '') total
       LEFT JOIN ai_term_stats stats ON stats.lexeme = asked.lexeme`,
      [question],
    );
    return (rows as Array<{ lexeme: string; chunks: number; total: number }>)
      .filter(row => Number(row.chunks) > 0)
      .map(row => {
        const chunks = Number(row.chunks);
        const total = Math.max(Number(row.total), chunks);
        return {
          lexeme: row.lexeme,
          chunks,
          total,
          idf: Math.log(1 + (total - chunks + 0.5) / (chunks + 0.5)),
        };
      });
  }

  private async searchPostgres(terms: string[], query: RetrievalQuery) {
    const words = await this.wordsOf(terms.join(' '));
    if (words.length === 0) return [];
    // A chunk is a candidate when it holds one of the question's telling words; a word most chunks hold
    // ("service") only adds to the score, or the candidates would be most of the index.
    const telling = words.filter(
      w =>
        w.chunks <=
        Math.max(COMMON_WORD_SHARE * w.total, COMMON_WORD_MIN_CHUNKS),
    );
    const matchOn = (telling.length > 0 ? telling : words).map(w => w.lexeme);
    const select = this.knex
      .with(
        'words',
        this.knex.raw(
          'SELECT quote_literal(w.lexeme)::tsquery AS word, w.idf FROM unnest(?::text[], ?::float8[]) AS w(lexeme, idf)',
          [words.map(w => w.lexeme), words.map(w => w.idf)],
        ),
      )
      .from(
        this.knex.raw(
          "ai_chunks, (SELECT array_to_string(array(SELECT quote_literal(l) FROM unnest(?::text[]) AS l), ' | ')::tsquery AS q) match",
          [matchOn],
        ),
      )
      .whereRaw('tsv @@ match.q')
      .whereRaw(
        'NOT EXISTS (SELECT 1 FROM unnest(required_refs) AS needed(ref) WHERE NOT (needed.ref = ANY(?::text[])))',
        [[...query.readableRefs]],
      )
      .select(
        ...CHUNK_COLUMNS,
        this.knex.raw(
          '(SELECT sum(words.idf * ts_rank(?::float4[], tsv, words.word, 1)) FROM words WHERE tsv @@ words.word) * boost AS score',
          [RANK_WEIGHTS],
        ),
      )
      .orderBy([{ column: 'score', order: 'desc' }, 'id'])
      .limit(query.limit);
    if (query.kinds) select.whereIn('source_kind', query.kinds);
    return (await select) as ChunkRow[];
  }

  private async searchInProcess(terms: string[], query: RetrievalQuery) {
    const index = await this.inProcessIndex();
    const kinds = query.kinds ? new Set(query.kinds) : undefined;
    return index.search
      .search(terms.join(' '), {
        combineWith: 'OR',
        boost: { title: 1.5, heading: 1.2 },
        boostDocument: id => index.rows.get(String(id))?.boost ?? 1,
        filter: result => {
          const row = index.rows.get(String(result.id));
          return (
            !!row &&
            (!kinds || kinds.has(row.source_kind)) &&
            this.refsOf(row).every(ref => query.readableRefs.has(ref))
          );
        },
      })
      .slice(0, query.limit)
      .map(result => ({
        ...index.rows.get(String(result.id))!,
        score: result.score,
      }));
  }

  /** The development index, rebuilt when a chunk was added, changed or removed since it was built. */
  private async inProcessIndex() {
    const [{ count, latest, last }] = await this.knex('ai_chunks')
      .count({ count: '*' })
      .max({ latest: 'updated_at', last: 'id' });
    const version = `${count}:${latest}:${last}`;
    if (this.inProcess?.version === version) return this.inProcess;
    const rows = (await this.knex('ai_chunks').select(
      ...CHUNK_COLUMNS,
      'boost',
    )) as ChunkRow[];
    const search = new MiniSearch({
      fields: ['title', 'heading', 'text'],
      idField: 'id',
      processTerm: term => stem(term.toLowerCase()),
    });
    search.addAll(
      rows.map(row => ({
        ...row,
        id: String(row.id),
        heading: row.heading ?? '',
      })),
    );
    this.inProcess = {
      version,
      search,
      rows: new Map(rows.map(row => [String(row.id), row])),
    };
    return this.inProcess;
  }
}
