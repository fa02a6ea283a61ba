import { createHash } from 'node:crypto';
import {
  AuthService,
  CacheService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** Backstage's id for the indexing task of a result type (search-backend-node's IndexBuilder). */
export const indexTaskOf = (type: string) =>
  `search_index_${type.replace('-', '_').toLowerCase()}`;

const RETRY_MS = 15_000;
const CATALOG_DIGEST_KEY = 'catalog-etags-digest';

/**
 * Keeps the index within a minute of what changed, without re-indexing on a timer: a type is re-indexed
 * when something of it changed (new docs published; an entity added, changed or removed in the catalog,
 * seen from the catalog's etags), once, and again shortly if its indexing was running at that moment.
 */
export class IndexFreshness {
  private readonly retrying = new Set<string>();

  constructor(
    private readonly scheduler: SchedulerService,
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly cache: CacheService,
    private readonly logger: LoggerService,
  ) {}

  /** Re-indexes a type now (on whichever replica the scheduler picks). */
  async reindex(type: string) {
    try {
      await this.scheduler.triggerTask(indexTaskOf(type));
    } catch (error) {
      // Running already (it may have read the old content), or not scheduled yet: try again shortly.
      if (this.retrying.has(type)) return;
      this.retrying.add(type);
      this.logger.debug(
        `Re-indexing ${type} deferred: ${(error as Error).message}`,
      );
      setTimeout(() => {
        this.retrying.delete(type);
        this.reindex(type).catch(() => {});
      }, RETRY_MS).unref();
    }
  }

  /** Re-indexes the catalog when any entity's etag differs from the last check (by any replica). */
  async checkCatalog() {
    const { items } = await this.catalog.getEntities(
      {
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.etag',
        ],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    const digest = createHash('sha256')
      .update(
        items
          .map(
            entity => `${stringifyEntityRef(entity)} ${entity.metadata.etag}`,
          )
          .sort()
          .join('\n'),
      )
      .digest('hex');
    const before = await this.cache.get(CATALOG_DIGEST_KEY);
    if (before === digest) return false;
    await this.cache.set(CATALOG_DIGEST_KEY, digest);
    // With nothing to compare with (a first start, an emptied cache), the catalog may have filled after
    // the startup indexing read it: index it once more.
    await this.reindex('software-catalog');
    return true;
  }
}
