import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  chunkMarkdown,
  SourceKind,
} from '@internal/plugin-ai-assistant-common';
import { StoredAnswer } from '../database/AnswerStore';
import { ChunkStore, IndexedSource } from './ChunkStore';
import { EmbeddingsClient } from './EmbeddingsClient';
import { entityDocumentOf } from './entityDocument';
import {
  sectionsWithoutWholePages,
  TechDocsIndexClient,
} from './TechDocsIndexClient';

const TECHDOCS_REF = 'backstage.io/techdocs-ref';

/** Part of every source's fingerprint: a new version re-cuts (and re-redacts) everything once. */
const INDEX_VERSION = 'relations-3';

/** Marks what only one person saw (`private:<userRef>`): no reader's readable refs ever include it. */
export const PRIVATE_REF_PREFIX = 'private:';

/** How much more a source counts than another equally relevant one. */
export const SOURCE_BOOST: Partial<Record<SourceKind, number>> = {
  answer: 1.5,
  runbook: 1.3,
  incident: 1.3,
};

const DOC_KINDS: SourceKind[] = ['techdocs', 'runbook', 'incident'];

/** Runbooks and incident reviews are docs pages too; their titles and paths say which they are. */
export function docsKindOf(title: string, location: string): SourceKind {
  const words = `${title} ${location}`;
  if (/runbook|playbook|on-call|oncall/i.test(words)) return 'runbook';
  if (/incident|post-?mortem|outage review/i.test(words)) return 'incident';
  return 'techdocs';
}

/**
 * Keeps the retrieval index in step with the catalog (every entity, re-cut only when its text changed),
 * the published docs (TechDocs' own search index of each entity), and the answers people found helpful.
 */
export class RetrievalIndexer {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      techdocs: TechDocsIndexClient;
      store: ChunkStore;
      chunkTokens: number;
      logger: LoggerService;
      /** The sensitive-content filter: what is indexed is redacted, so no search result holds a secret. */
      filter: (text: string) => Promise<{ text: string }>;
      /** The embeddings model, when one is configured. */
      embeddings?: EmbeddingsClient;
    },
  ) {}

  private async redacted(text: string) {
    return (await this.options.filter(text)).text;
  }

  private async entities(filter?: Record<string, string>) {
    const { catalog, auth } = this.options;
    const { items } = await catalog.getEntities(filter ? { filter } : {}, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    return items;
  }

  /**
   * Every catalog entity, with the docs of those new or changed since the last pass; entities gone from
   * the catalog leave the index.
   */
  async indexCatalog() {
    const { store, chunkTokens } = this.options;
    const entities = await this.entities();
    let changed = 0;
    const keys: Record<string, string[]> = { entity: [], api: [] };
    for (const entity of entities) {
      const doc = entityDocumentOf(entity);
      keys[doc.kind].push(doc.entityRef);
      const source: IndexedSource = {
        kind: doc.kind,
        key: doc.entityRef,
        requiredRefs: [doc.entityRef],
        boost: 1,
        fingerprint: JSON.stringify([
          INDEX_VERSION,
          doc.title,
          doc.url,
          doc.text,
          doc.relations,
        ]),
        chunks: async () => [
          ...chunkMarkdown(await this.redacted(doc.text), chunkTokens).map(
            chunk => ({
              title: doc.title,
              url: doc.url,
              ...(chunk.heading ? { heading: chunk.heading } : {}),
              text: chunk.text,
            }),
          ),
          // A relation names the other entity too: its chunk needs both to be readable. It says what the
          // entity is as well, so that a question about what it does finds its owner and system.
          ...(await Promise.all(
            doc.relations.map(async relation => ({
              title: doc.title,
              url: doc.url,
              text: await this.redacted(`${doc.summary}\n${relation.line}`),
              alsoRequires: [relation.targetRef],
            })),
          )),
        ],
      };
      let entityChanged = false;
      try {
        entityChanged = await store.replaceSource(source);
      } catch (error) {
        // One entity that cannot be indexed does not stop the others (its old chunks stay).
        this.options.logger.warn(
          `${doc.entityRef} was not indexed for the assistant: ${
            (error as Error).message
          }`,
        );
      }
      if (!entityChanged) continue;
      changed++;
      // A new (or changed) entity's docs are read now, not at the next full docs pass hours later.
      if (entity.metadata.annotations?.[TECHDOCS_REF]) {
        await this.indexDocsOf(entity).catch(error =>
          this.options.logger.warn(
            `Docs of ${doc.entityRef} were not indexed for the assistant: ${
              (error as Error).message
            }`,
          ),
        );
      }
    }
    const removed =
      (await store.removeSourcesExcept('entity', keys.entity)) +
      (await store.removeSourcesExcept('api', keys.api));
    if (changed + removed > 0) await store.refreshTermStats();
    return { entities: entities.length, changed, removed };
  }

  private async indexDocsOf(entity: Entity): Promise<{
    keys: Array<{ kind: SourceKind; url: string }>;
    changed: number;
  }> {
    const { store, techdocs, chunkTokens } = this.options;
    const entityRef = stringifyEntityRef(entity);
    const ref = parseEntityRef(entityRef);
    const published = await techdocs.sectionsOf(ref);
    if (!published) return { keys: [], changed: 0 };
    const sections = sectionsWithoutWholePages(published);
    const name = entity.metadata.title ?? entity.metadata.name;
    const base = `/docs/${ref.namespace}/${ref.kind}/${ref.name}/`;
    let changed = 0;
    const keys: Array<{ kind: SourceKind; url: string }> = [];
    for (const section of sections) {
      const url = `${base}${section.location}`;
      const kind = docsKindOf(section.title, section.location);
      keys.push({ kind, url });
      const source: IndexedSource = {
        kind,
        key: url,
        requiredRefs: [entityRef],
        boost: SOURCE_BOOST[kind] ?? 1,
        fingerprint: JSON.stringify([
          INDEX_VERSION,
          section.title,
          section.pageTitle,
          section.text,
          name,
        ]),
        chunks: async () => {
          const page =
            section.pageTitle && section.pageTitle !== section.title
              ? `${section.title} · ${section.pageTitle}`
              : section.title;
          const title = await this.redacted(`${page} (${name} docs)`);
          return chunkMarkdown(
            await this.redacted(section.text),
            chunkTokens,
          ).map(chunk => ({
            title,
            url,
            ...(chunk.heading ? { heading: chunk.heading } : {}),
            text: chunk.text,
          }));
        },
      };
      if (await store.replaceSource(source)) changed++;
    }
    return { keys, changed };
  }

  /**
   * Embeds the chunks the configured model has not embedded yet (new ones, or all of them after the model
   * changed), up to `maxChunks` a run; the rest wait for the next. Returns how many it embedded.
   */
  async embedMissing(maxChunks = 2000) {
    const { embeddings, store } = this.options;
    if (!embeddings) return 0;
    let embedded = 0;
    while (embedded < maxChunks) {
      const chunks = await store.chunksToEmbed(
        embeddings.model,
        Math.min(256, maxChunks - embedded),
      );
      if (chunks.length === 0) break;
      // Filtered again on the way out: the rules may have grown since the chunk was indexed.
      const texts = await Promise.all(chunks.map(c => this.redacted(c.text)));
      const vectors = await embeddings.embed(texts);
      await store.saveEmbeddings(
        embeddings.model,
        chunks.map((chunk, i) => ({ id: chunk.id, vector: vectors[i] })),
      );
      embedded += chunks.length;
    }
    if (embedded > 0) await store.warmVectors(embeddings.model);
    return embedded;
  }

  /** The published docs of one entity, when TechDocs announces a new build of them. */
  async indexDocsOfEntity(entityRef: string) {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials: await this.options.auth.getOwnServiceCredentials(),
    });
    if (!entity) return { changed: 0 };
    const { changed } = await this.indexDocsOf(entity);
    if (changed > 0) await this.options.store.refreshTermStats();
    return { changed };
  }

  /** Every entity's published docs; pages no longer published leave the index. */
  async indexAllDocs() {
    const entities = (await this.entities()).filter(
      e => e.metadata.annotations?.[TECHDOCS_REF],
    );
    const keys = new Map<SourceKind, string[]>(DOC_KINDS.map(k => [k, []]));
    let changed = 0;
    let failed = 0;
    for (const entity of entities) {
      try {
        const result = await this.indexDocsOf(entity);
        changed += result.changed;
        for (const { kind, url } of result.keys) keys.get(kind)!.push(url);
      } catch (error) {
        this.options.logger.warn(
          `Docs of ${stringifyEntityRef(
            entity,
          )} were not indexed for the assistant: ${(error as Error).message}`,
        );
        failed++;
      }
    }
    // With an entity's docs unread, its pages are not known to be gone: nothing is removed this time.
    let removed = 0;
    for (const [kind, urls] of failed > 0 ? [] : keys) {
      removed += await this.options.store.removeSourcesExcept(kind, urls);
    }
    if (changed + removed > 0) await this.options.store.refreshTermStats();
    return { entities: entities.length, changed, removed, failed };
  }

  /** An answer someone found helpful, readable only by those who may read everything it drew on. */
  /**
   * Indexes an answer someone found helpful, readable only by those who may read everything it drew on;
   * false (and nothing indexed) when it drew on nothing shareable: no sources, or something only its asker
   * saw (an earlier turn of their conversation, a tool's result). Its words join the term statistics at
   * the next index pass.
   */
  async indexAnswer(answer: StoredAnswer): Promise<boolean> {
    const requiredRefs = [
      ...new Set(answer.sources.flatMap(source => source.requiredRefs)),
    ];
    if (
      requiredRefs.length === 0 ||
      requiredRefs.some(ref => ref.startsWith(PRIVATE_REF_PREFIX))
    ) {
      return false;
    }
    // Its citations numbered the sources of its own question; they mean nothing to the next one.
    const text = `${answer.question.slice(0, 500)}\n\n${answer.answer.replace(
      / ?\[\d{1,3}\]/g,
      '',
    )}`;
    await this.options.store.replaceSource({
      kind: 'answer',
      key: answer.id,
      requiredRefs,
      boost: SOURCE_BOOST.answer ?? 1,
      fingerprint: JSON.stringify([INDEX_VERSION, text]),
      chunks: async () =>
        chunkMarkdown(await this.redacted(text), this.options.chunkTokens).map(
          chunk => ({
            title: `Answered before: ${answer.question.slice(0, 120)}`,
            url: `/assistant?answer=${answer.id}`,
            text: chunk.text,
          }),
        ),
    });
    return true;
  }

  async removeAnswer(answerId: string) {
    await this.options.store.removeSource('answer', answerId);
  }
}
