import { SourceKind } from '@internal/plugin-ai-assistant-common';

/** A piece of a source, as the index keeps it. */
export interface NewChunk {
  title: string;
  url: string;
  heading?: string;
  text: string;
  /** Entities a reader must also be able to read for this chunk (e.g. the other end of a relation). */
  alsoRequires?: string[];
}

/** A source cut into chunks: an entity, a docs page, an answer someone found helpful. */
export interface IndexedSource {
  kind: SourceKind;
  /** The entity ref, docs location or answer id. */
  key: string;
  /** Every entity a reader must be able to read to be given any of it. */
  requiredRefs: string[];
  /** Ranks it above (> 1) or below other sources equally relevant to a question. */
  boost: number;
  /** What the chunks are cut from: the same fingerprint means the same chunks, so nothing is re-cut. */
  fingerprint: string;
  chunks: () => Promise<NewChunk[]>;
}

export interface RetrievedChunk {
  id: string;
  kind: SourceKind;
  sourceKey: string;
  title: string;
  url: string;
  heading?: string;
  text: string;
  requiredRefs: string[];
  score: number;
}

export interface RetrievalQuery {
  question: string;
  /** The refs the asker may read; a chunk needing any other is never returned. */
  readableRefs: ReadonlySet<string>;
  limit: number;
  kinds?: SourceKind[];
  /** The question's embedding: the embeddings ranking is fused with the full-text one. */
  questionVector?: { model: string; vector: number[] };
}

/** A chunk's text for the embeddings model (already passed the sensitive-content filter when indexed). */
export interface ChunkToEmbed {
  id: string;
  text: string;
}

/** The retrieval index: sources replaced whole (a no-op when unchanged), searched per asker. */
export interface ChunkStore {
  /** Replaces a source's chunks; false when they were already exactly these. */
  replaceSource(source: IndexedSource): Promise<boolean>;
  /** Removes the sources of a kind not among `keep` (deleted entities, unpublished pages). */
  removeSourcesExcept(kind: SourceKind, keep: string[]): Promise<number>;
  removeSource(kind: SourceKind, key: string): Promise<number>;
  search(query: RetrievalQuery): Promise<RetrievedChunk[]>;
  /** Recounts how common each word is, after the index changed. */
  refreshTermStats(): Promise<void>;
  count(): Promise<number>;
  /** Chunks not yet embedded by this model (new, or embedded by another one). */
  chunksToEmbed(model: string, limit: number): Promise<ChunkToEmbed[]>;
  saveEmbeddings(
    model: string,
    embedded: Array<{ id: string; vector: number[] }>,
  ): Promise<void>;
  /** Reads a model's vectors into this replica's memory now, when searched in process. */
  warmVectors(model: string): Promise<void>;
  /** How embeddings are searched: pgvector in the database, or in each replica's memory. */
  vectorSearch(): Promise<'pgvector' | 'in-process'>;
}
