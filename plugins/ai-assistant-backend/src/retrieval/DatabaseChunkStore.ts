import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import MiniSearch from 'minisearch';
import stem from 'wink-porter2-stemmer';
import { databaseNow, isPostgres } from '@internal/backend-database';
import { SourceKind } from '@internal/plugin-ai-assistant-common';
import {
  ChunkStore,
  ChunkToEmbed,
  IndexedSource,
  RetrievalQuery,
  RetrievedChunk,
} from './ChunkStore';
import { questionTerms } from './questionTerms';
import { fuseRankings } from './ranking/fuseRankings';
import { nearest, unitVector, VectorMatrix } from './ranking/nearest';

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

/** How many of each ranking's best are fused, at least (a question asks for fewer). */
const FUSED_CANDIDATES = 24;

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
  private vectorsLoading?: Promise<void>;
  private inProcessVectors?: {
    version: string;
    model: string;
    ids: string[];
    kinds: SourceKind[];
    requiredRefs: string[][];
    matrix: VectorMatrix;
  };
  private vectorMode?: Promise<'pgvector' | 'in-process'>;

  constructor(
    private readonly knex: Knex,
    options: { vectorSearch?: 'pgvector' | 'in-process' } = {},
  ) {
    if (options.vectorSearch === 'in-process') {
      this.vectorMode = Promise.resolve('in-process');
    }
  }

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
        // New text: a vector of the old one (another replica's, merged below) no longer applies.
        embedding: null,
        embedding_model: null,
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
    if (query.limit <= 0) return [];
    let rows: ChunkRow[];
    if (query.questionVector) {
      const wide = { ...query, limit: Math.max(FUSED_CANDIDATES, query.limit) };
      const [byText, byVector] = await Promise.all([
        terms.length > 0 ? this.fullText(terms, wide) : [],
        // Vectors only add to the ranking: when they fail, the question is answered from full text.
        this.nearestChunks(wide, query.questionVector).catch(
          (): ChunkRow[] => [],
        ),
      ]);
      rows = fuseRankings(
        [byText, byVector],
        row => String(row.id),
        query.limit,
      ).map(({ item, score }) => ({ ...item, score }));
    } else {
      rows = terms.length > 0 ? await this.fullText(terms, query) : [];
    }
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

  private fullText(terms: string[], query: RetrievalQuery) {
    return isPostgres(this.knex)
      ? this.searchPostgres(terms, query)
      : this.searchInProcess(terms, query);
  }

  /** Leaves out every chunk that needs an entity the asker cannot read. */
  private readableBy(
    builder: Knex.QueryBuilder,
    readableRefs: ReadonlySet<string>,
  ) {
    return builder.whereRaw(
      'NOT EXISTS (SELECT 1 FROM unnest(required_refs) AS needed(ref) WHERE NOT (needed.ref = ANY(?::text[])))',
      [[...readableRefs]],
    );
  }

  async chunksToEmbed(model: string, limit: number): Promise<ChunkToEmbed[]> {
    const rows = (await this.knex('ai_chunks')
      .where(q =>
        q.whereNull('embedding_model').orWhereNot('embedding_model', model),
      )
      .orderBy('id')
      .limit(limit)
      .select('id', 'title', 'heading', 'text')) as Array<
      Pick<ChunkRow, 'id' | 'title' | 'heading' | 'text'>
    >;
    return rows.map(row => ({
      id: String(row.id),
      text: [row.title, row.heading, row.text].filter(Boolean).join('\n'),
    }));
  }

  async saveEmbeddings(
    model: string,
    embedded: Array<{ id: string; vector: number[] }>,
  ) {
    const pgvector = (await this.vectorSearch()) === 'pgvector';
    // pgvector's column alone, or the array (PostgreSQL) or JSON (SQLite) read into memory.
    const stored = (vector: number[]) => {
      if (pgvector) return null;
      return isPostgres(this.knex) ? vector : JSON.stringify(vector);
    };
    await this.knex.transaction(async tx => {
      for (const { id, vector } of embedded) {
        if (!vector.every(Number.isFinite)) {
          throw new Error(
            `The embeddings model gave chunk ${id} a vector that is not all numbers`,
          );
        }
        // A chunk replaced meanwhile has a new id: its old vector lands nowhere.
        await tx('ai_chunks')
          .where({ id })
          .update({
            embedding: stored(vector),
            embedding_model: model,
            ...(pgvector
              ? {
                  embedding_vector: tx.raw('?::vector', [
                    `[${vector.join(',')}]`,
                  ]),
                }
              : {}),
          });
      }
    });
  }

  vectorSearch() {
    this.vectorMode ??= this.detectVectorSearch().catch(error => {
      this.vectorMode = undefined;
      throw error;
    });
    return this.vectorMode;
  }

  /**
   * pgvector when the database has it (or lets the plugin create it, as RDS does), in process otherwise.
   * With pgvector, each chunk's vector is also kept in a `vector` column (added here: the extension may
   * come after the plugin's migrations), so that a search compares them natively instead of casting each.
   */
  private async detectVectorSearch(): Promise<'pgvector' | 'in-process'> {
    if (!isPostgres(this.knex)) return 'in-process';
    const installed = async () =>
      (
        await this.knex.raw(
          "SELECT 1 FROM pg_extension WHERE extname = 'vector'",
        )
      ).rows.length > 0;
    if (!(await installed())) {
      const { rows } = await this.knex.raw(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'",
      );
      if (rows.length === 0) return 'in-process';
      try {
        await this.knex.raw('CREATE EXTENSION IF NOT EXISTS vector');
      } catch {
        // Not ours to create (no right), or another replica created it at the same moment.
      }
      if (!(await installed())) return 'in-process';
    }
    const { rows: columns } = await this.knex.raw(
      "SELECT 1 FROM information_schema.columns WHERE table_name = 'ai_chunks' AND column_name = 'embedding_vector' AND table_schema = current_schema()",
    );
    if (columns.length === 0) {
      try {
        // Kept in the row (MAIN), not TOASTed: a search reads every vector, and detoasting made it 8x slower.
        await this.knex.raw(
          'ALTER TABLE ai_chunks ADD COLUMN IF NOT EXISTS embedding_vector vector, ALTER COLUMN embedding_vector SET STORAGE MAIN',
        );
      } catch {
        // Another replica added it at the same moment.
      }
    }
    try {
      // Vectors stored before pgvector came move to its column (one copy: the rows stay small).
      await this.knex.raw(
        'UPDATE ai_chunks SET embedding_vector = embedding::vector, embedding = NULL WHERE embedding IS NOT NULL AND embedding_vector IS NULL',
      );
    } catch {
      // No column (it could not be added): the vectors stay in each replica's memory.
      return 'in-process';
    }
    return 'pgvector';
  }

  private async nearestChunks(
    query: RetrievalQuery,
    questionVector: { model: string; vector: number[] },
  ): Promise<ChunkRow[]> {
    if (!questionVector.vector.every(Number.isFinite)) return [];
    if ((await this.vectorSearch()) === 'pgvector') {
      return this.nearestByPgvector(query, questionVector);
    }
    const vectors = await this.inProcessVectorsOf(questionVector.model);
    if (!vectors) return [];
    const kinds = query.kinds ? new Set(query.kinds) : undefined;
    const found = nearest(
      vectors.matrix,
      questionVector.vector,
      query.limit,
      row =>
        (!kinds || kinds.has(vectors.kinds[row])) &&
        vectors.requiredRefs[row].every(ref => query.readableRefs.has(ref)),
    );
    if (found.length === 0) return [];
    const rows = new Map(
      (
        (await this.knex('ai_chunks')
          .whereIn(
            'id',
            found.map(f => vectors.ids[f.row]),
          )
          .select(...CHUNK_COLUMNS)) as ChunkRow[]
      ).map(row => [String(row.id), row]),
    );
    // A chunk replaced since the vectors were read is gone from the rows, and from the results.
    return found.flatMap(({ row, similarity }) => {
      const chunk = rows.get(vectors.ids[row]);
      const readable =
        chunk && this.refsOf(chunk).every(ref => query.readableRefs.has(ref));
      return readable ? [{ ...chunk, score: similarity }] : [];
    });
  }

  /**
   * The nearest readable chunks by pgvector. First the nearest `limit × 8` chunks (one scan, no permission
   * check), then the readable among them: as they are in order of distance, their first readable ones are
   * exactly the nearest readable ones. When fewer than asked are readable (an asker who reads little), one
   * more scan checks every chunk's readers as it goes: two scans at most.
   */
  private async nearestByPgvector(
    query: RetrievalQuery,
    questionVector: { model: string; vector: number[] },
  ): Promise<ChunkRow[]> {
    if (query.readableRefs.size === 0) return [];
    const literal = `[${questionVector.vector.join(',')}]`;
    const embedded = () => {
      const rows = this.knex('ai_chunks')
        .where({ embedding_model: questionVector.model })
        .whereNotNull('embedding_vector')
        .whereRaw('vector_dims(embedding_vector) = ?', [
          questionVector.vector.length,
        ]);
      if (query.kinds) rows.whereIn('source_kind', query.kinds);
      return rows;
    };
    const nearestIds = embedded()
      .select(
        'id AS nearest_id',
        this.knex.raw('embedding_vector <=> ?::vector AS distance', [literal]),
      )
      .orderBy(['distance', 'id'])
      .limit(query.limit * 8);
    const windowed = (await this.readableBy(
      this.knex
        .with('nearest', nearestIds)
        .from('nearest')
        .join('ai_chunks', 'ai_chunks.id', 'nearest.nearest_id'),
      query.readableRefs,
    )
      .select(
        ...CHUNK_COLUMNS.map(column => `ai_chunks.${column}`),
        this.knex.raw('1 - nearest.distance AS score'),
      )
      .orderBy(['nearest.distance', 'ai_chunks.id'])
      .limit(query.limit)) as ChunkRow[];
    if (windowed.length >= query.limit) return windowed;
    return (await this.readableBy(embedded(), query.readableRefs)
      .select(
        ...CHUNK_COLUMNS,
        this.knex.raw('1 - (embedding_vector <=> ?::vector) AS score', [
          literal,
        ]),
      )
      .orderByRaw('embedding_vector <=> ?::vector, id', [literal])
      .limit(query.limit)) as ChunkRow[];
  }

  /**
   * Every chunk's vector of one model, as this replica last read them. When the index changed since, they
   * are read again in the background and this question uses the ones read before (the first question after
   * a start, none: it is answered by full text), so no question waits for thousands of vectors.
   */
  private async inProcessVectorsOf(model: string) {
    const version = await this.vectorsVersion(model);
    const cached = this.inProcessVectors;
    if (cached?.version === version) return cached;
    this.vectorsLoading ??= this.loadVectors(model, version)
      .catch(() => {})
      .finally(() => {
        this.vectorsLoading = undefined;
      });
    return cached?.model === model ? cached : undefined;
  }

  /** Reads the vectors of a model now, if the index changed since they were read (startup, tests). */
  async warmVectors(model: string) {
    if ((await this.vectorSearch()) !== 'in-process') return;
    await this.vectorsLoading;
    const version = await this.vectorsVersion(model);
    if (this.inProcessVectors?.version !== version) {
      await this.loadVectors(model, version);
    }
  }

  private async vectorsVersion(model: string) {
    const [{ count, last, sum }] = await this.knex('ai_chunks')
      .where({ embedding_model: model })
      .whereNotNull('embedding')
      .count({ count: '*' })
      .max({ last: 'id' })
      .sum({ sum: 'id' });
    return `${model}:${count}:${last}:${sum}`;
  }

  /** Reads the vectors not read before (chunks keep their ids until replaced), keeps the rest. */
  private async loadVectors(model: string, version: string) {
    const previous =
      this.inProcessVectors?.model === model
        ? this.inProcessVectors
        : undefined;
    const rowOf = new Map(previous?.ids.map((id, row) => [id, row]));
    const current = (
      (await this.knex('ai_chunks')
        .where({ embedding_model: model })
        .whereNotNull('embedding')
        .orderBy('id')
        .select('id', 'source_kind', 'required_refs')) as Array<
        Pick<ChunkRow, 'id' | 'source_kind' | 'required_refs'>
      >
    ).map(row => ({ ...row, id: String(row.id) }));
    const added = new Map<string, number[]>();
    const toRead = current.filter(row => !rowOf.has(row.id)).map(row => row.id);
    for (let i = 0; i < toRead.length; i += 1000) {
      const rows = (await this.knex('ai_chunks')
        .whereIn('id', toRead.slice(i, i + 1000))
        .select('id', 'embedding')) as Array<{
        id: string | number;
        embedding: number[] | string;
      }>;
      for (const row of rows) {
        added.set(
          String(row.id),
          typeof row.embedding === 'string'
            ? JSON.parse(row.embedding)
            : row.embedding,
        );
      }
    }
    const dimensions =
      (previous?.matrix.count ? previous.matrix.dimensions : undefined) ??
      added.values().next().value?.length ??
      0;
    const kept = current.filter(
      row => rowOf.has(row.id) || added.get(row.id)?.length === dimensions,
    );
    const values = new Float32Array(kept.length * dimensions);
    kept.forEach((row, index) => {
      const before = rowOf.get(row.id);
      if (before !== undefined && previous) {
        values.set(
          previous.matrix.values.subarray(
            before * dimensions,
            (before + 1) * dimensions,
          ),
          index * dimensions,
        );
      } else {
        values.set(unitVector(added.get(row.id)!), index * dimensions);
      }
    });
    this.inProcessVectors = {
      version,
      model,
      ids: kept.map(row => row.id),
      kinds: kept.map(row => row.source_kind),
      requiredRefs: kept.map(row => this.refsOf(row)),
      matrix: { dimensions, count: kept.length, values },
    };
  }

  private refsOf(row: Pick<ChunkRow, 'required_refs'>): string[] {
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
      .select(
        ...CHUNK_COLUMNS,
        this.knex.raw(
          '(SELECT sum(words.idf * ts_rank(?::float4[], tsv, words.word, 1)) FROM words WHERE tsv @@ words.word) * boost AS score',
          [RANK_WEIGHTS],
        ),
      )
      .orderBy([{ column: 'score', order: 'desc' }, 'id'])
      .limit(query.limit);
    this.readableBy(select, query.readableRefs);
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
