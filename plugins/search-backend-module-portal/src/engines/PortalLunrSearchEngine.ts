import lunr from 'lunr';
import { LunrSearchEngine } from '@backstage/plugin-search-backend-node';
import {
  IndexableDocument,
  IndexableResultSet,
  SearchQuery,
} from '@backstage/plugin-search-common';
import { facetCountsOf, isReadable } from './facets';
import { PortalSearchEngine } from './PortalSearchEngine';
import { recencyFactor } from './recency';

const encodePage = (page: number) => Buffer.from(`${page}`).toString('base64');
const decodePage = (cursor?: string) =>
  cursor ? Number(Buffer.from(cursor, 'base64').toString('utf-8')) || 0 : 0;

/**
 * The development engine (in memory, per process): Backstage's Lunr engine with a title match weighing
 * more than a text match, relevance lifted by how recently a document changed, an empty answer (not a
 * 500) for a type not indexed yet, and facet counts.
 */
export class PortalLunrSearchEngine
  extends LunrSearchEngine
  implements PortalSearchEngine
{
  private matches(query: Pick<SearchQuery, 'term' | 'types' | 'filters'>) {
    const builder = (q: lunr.Query) => {
      const tokens = lunr.tokenizer(query.term);
      q.term(tokens, { usePipeline: true, boost: 100 });
      q.term(tokens, { usePipeline: true, boost: 100, fields: ['title'] });
      q.term(tokens, {
        usePipeline: false,
        boost: 10,
        wildcard: lunr.Query.wildcard.TRAILING,
      });
      q.term(tokens, { usePipeline: false, editDistance: 2, boost: 1 });
      for (const [field, value] of Object.entries(query.filters ?? {})) {
        const values = (Array.isArray(value) ? value : [value]).map(String);
        if (!q.allFields.includes(field)) throw new Error('unrecognised field');
        q.term(values.flatMap(v => lunr.tokenizer(v)).filter(Boolean), {
          presence: lunr.Query.presence.REQUIRED,
          fields: [field],
        });
      }
    };
    const now = Date.now();
    const found: Array<{ type: string; score: number; ref: string }> = [];
    for (const [type, index] of Object.entries(this.lunrIndices)) {
      if (query.types?.length && !query.types.includes(type)) continue;
      let results: lunr.Index.Result[];
      try {
        results = index.query(builder);
      } catch (error) {
        // A filter on a field this type does not have matches nothing of it.
        if ((error as Error).message.startsWith('unrecognised field')) continue;
        throw error;
      }
      for (const result of results) {
        const document = this.docStore[result.ref];
        if (!document) continue;
        found.push({
          type,
          ref: result.ref,
          score:
            result.score *
            recencyFactor(
              (document as { lastModified?: unknown }).lastModified,
              now,
            ),
        });
      }
    }
    return found.sort((a, b) => b.score - a.score);
  }

  async query(query: SearchQuery): Promise<IndexableResultSet> {
    const pageSize = query.pageLimit || 25;
    const page = decodePage(query.pageCursor);
    const found = this.matches(query);
    const offset = page * pageSize;
    return {
      results: found.slice(offset, offset + pageSize).map((match, i) => ({
        type: match.type,
        document: this.docStore[match.ref],
        rank: offset + i + 1,
      })),
      numberOfResults: found.length,
      nextPageCursor:
        found.length > offset + pageSize ? encodePage(page + 1) : undefined,
      previousPageCursor: page > 0 ? encodePage(page - 1) : undefined,
    };
  }

  async facets(
    query: Pick<SearchQuery, 'term' | 'types' | 'filters'>,
    readableRefs: ReadonlySet<string>,
  ) {
    return facetCountsOf(
      this.matches(query)
        .map(match => ({
          type: match.type,
          document: this.docStore[match.ref] as IndexableDocument,
        }))
        .filter(match => isReadable(match.document, readableRefs)),
    );
  }
}
