import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  DEFAULT_NAMESPACE,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { SensitiveContentFilter } from '@internal/plugin-security-node';
import { DocsBuildStore } from '../database/DocsBuildStore';
import { TechDocsBuildClient } from './TechDocsBuildClient';

export const TECHDOCS_REF_ANNOTATION = 'backstage.io/techdocs-ref';

/** Published on the events service when an entity's docs were built anew (by the portal or in CI). */
export const TECHDOCS_PUBLISHED_TOPIC = 'techdocs.published';

export interface TechDocsPublishedEvent {
  entityRef: string;
  /** When the new docs were built, in ms since the epoch. */
  buildTimestamp: number;
}

export interface ScheduledDocsBuildsOptions {
  catalog: CatalogService;
  auth: AuthService;
  client: TechDocsBuildClient;
  store: DocsBuildStore;
  events: EventsService;
  redaction: SensitiveContentFilter;
  logger: LoggerService;
  /** Whether the portal builds docs (techdocs.builder: local) or only reads what CI published. */
  builds: boolean;
  rebuildEveryMs: number;
}

/**
 * One pass over every entity with docs: builds the ones due (when the portal is the builder), records how
 * each build went, and announces docs built since the last pass so search indexes them within a pass.
 */
export class ScheduledDocsBuilds {
  constructor(private readonly options: ScheduledDocsBuildsOptions) {}

  async run() {
    const { catalog, auth, store, logger, builds } = this.options;
    const { items } = await catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${TECHDOCS_REF_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const buildsStarted = builds
      ? await store.lastBuildsStarted()
      : new Map<string, Date>();
    let built = 0;
    let failed = 0;
    let published = 0;
    for (const entity of items) {
      const name = {
        kind: entity.kind,
        namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
        name: entity.metadata.name,
      };
      const ref = stringifyEntityRef(name);
      try {
        const started = buildsStarted.get(ref);
        if (
          builds &&
          (!started ||
            Date.now() - started.getTime() >= this.options.rebuildEveryMs)
        ) {
          built++;
          if (!(await this.build(ref, name))) {
            failed++;
            continue;
          }
        }
        if (await this.checkPublished(ref, name)) published++;
      } catch (error) {
        logger.warn(
          `Could not build or check the docs of ${ref}: ${
            (error as Error).message
          }`,
        );
      }
    }
    if (built + published > 0) {
      logger.info(
        `TechDocs of ${items.length} entities: ${built} built (${failed} failed), ${published} newly published`,
      );
    }
  }

  /** Builds the docs; false (recorded with its error) when the build failed. */
  private async build(
    ref: string,
    name: { kind: string; namespace: string; name: string },
  ) {
    const { client, store } = this.options;
    await store.buildStarted(ref);
    const outcome = await client.sync(name);
    if (outcome.kind === 'finished') return true;
    const error =
      outcome.kind === 'failed'
        ? outcome.error
        : 'The build stopped before it finished; it is tried again on the next pass';
    await store.failed(
      ref,
      'failed',
      (
        await this.options.redaction.filter(error)
      ).text,
    );
    return false;
  }

  /** Records the docs being served; true when they are a build not seen before (and announced). */
  private async checkPublished(
    ref: string,
    name: { kind: string; namespace: string; name: string },
  ) {
    const { client, store, events, builds } = this.options;
    const buildTimestamp = await client.buildTimestamp(name);
    if (buildTimestamp === undefined) {
      await store.failed(
        ref,
        'unpublished',
        builds
          ? `No docs of ${ref} have been published yet; the portal builds them on its next pass`
          : `No docs of ${ref} have been published yet: build them in CI with techdocs-cli and publish them to the docs bucket`,
      );
      return false;
    }
    if (!(await store.published(ref, buildTimestamp))) return false;
    const event: TechDocsPublishedEvent = { entityRef: ref, buildTimestamp };
    await events.publish({
      topic: TECHDOCS_PUBLISHED_TOPIC,
      eventPayload: event,
    });
    return true;
  }
}
