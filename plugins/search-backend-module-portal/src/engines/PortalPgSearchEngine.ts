import { Config } from '@backstage/config';
import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { PgSearchEngine } from '@backstage/plugin-search-backend-module-pg';
import { SearchQuery } from '@backstage/plugin-search-common';
import { facetCountsOf, isReadable } from './facets';
import { PortalSearchEngine } from './PortalSearchEngine';
import { RankedDocumentStore } from './RankedDocumentStore';

/** Facets are counted over at most this many matches; a broader query shows "at least" counts. */
export const MAX_FACET_MATCHES = 20_000;

/** The production engine: Backstage's PostgreSQL engine on the recency-ranked store, with facet counts. */
export class PortalPgSearchEngine
  extends PgSearchEngine
  implements PortalSearchEngine
{
  static async create(
    config: Config,
    database: DatabaseService,
    logger: LoggerService,
  ) {
    const knex = await database.getClient();
    // Backstage's documents table, migrated as its PostgreSQL module would.
    if (!database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@backstage/plugin-search-backend-module-pg',
          'migrations',
        ),
      });
    }
    const store = new RankedDocumentStore(knex);
    return new PortalPgSearchEngine(store, config, logger);
  }

  private constructor(
    private readonly store: RankedDocumentStore,
    config: Config,
    logger: LoggerService,
  ) {
    super(store, config, logger);
  }

  async facets(
    query: Pick<SearchQuery, 'term' | 'types' | 'filters'>,
    readableRefs: ReadonlySet<string>,
  ) {
    const { pgQuery } = this.translator(
      { ...query, pageCursor: undefined, pageLimit: 1 },
      { highlightOptions: {} as any, normalization: 0 },
    );
    const matches = await this.store.transaction(tx =>
      this.store.matches(tx, pgQuery, readableRefs, MAX_FACET_MATCHES),
    );
    // Filtered in the database already; filtered again here as the other engine does.
    return facetCountsOf(
      matches.filter(match => isReadable(match.document, readableRefs)),
    );
  }
}
