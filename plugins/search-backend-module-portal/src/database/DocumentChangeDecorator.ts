import { createHash } from 'node:crypto';
import { DecoratorBase } from '@backstage/plugin-search-backend-node';
import { IndexableDocument } from '@backstage/plugin-search-common';
import { IndexedDocument, IndexedDocumentStore } from './IndexedDocumentStore';

/**
 * In a type's indexing pipeline: gives each document `lastModified`, the time its content last differed
 * from what was indexed before (now for a new or changed document), and records the type's documents
 * once the collation completes, so ranking and suggestions see what the index holds.
 */
export class DocumentChangeDecorator extends DecoratorBase {
  private known = new Map<string, IndexedDocument>();
  private readonly indexed: IndexedDocument[] = [];
  private readonly startedAt = new Date();

  constructor(
    private readonly type: string,
    private readonly store: IndexedDocumentStore,
  ) {
    super();
  }

  async initialize() {
    this.known = await this.store.ofType(this.type);
  }

  async decorate(document: IndexableDocument) {
    const { lastModified: _, ...content } = document as IndexableDocument & {
      lastModified?: string;
    };
    const hash = createHash('sha256')
      .update(JSON.stringify(content))
      .digest('hex');
    const before = this.known.get(document.location);
    const changedAt =
      before && before.hash === hash ? before.changedAt : this.startedAt;
    this.indexed.push({
      location: document.location,
      title: document.title,
      resourceRef: document.authorization?.resourceRef,
      hash,
      changedAt,
    });
    return { ...document, lastModified: changedAt.toISOString() };
  }

  async finalize() {
    await this.store.replaceType(this.type, this.indexed);
  }
}
