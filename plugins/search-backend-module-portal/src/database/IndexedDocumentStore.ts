/** A document as last indexed: enough to suggest its title and to know when its content changed. */
export interface IndexedDocument {
  location: string;
  title: string;
  resourceRef?: string;
  hash: string;
  changedAt: Date;
}

export interface IndexedDocumentStore {
  /** The documents of a type as last indexed, by location. */
  ofType(type: string): Promise<Map<string, IndexedDocument>>;
  /** A type's documents after a complete collation: these and no others. */
  replaceType(type: string, documents: IndexedDocument[]): Promise<void>;
  /** Titles of documents of any type, without a resource or with one of these. */
  titles(readableRefs: ReadonlySet<string>): Promise<string[]>;
  /** How many documents each type has indexed. */
  countsByType(): Promise<Map<string, number>>;
}
