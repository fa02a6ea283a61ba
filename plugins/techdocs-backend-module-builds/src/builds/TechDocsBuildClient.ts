import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { SyncOutcome, syncOutcomeOf } from './syncOutcome';

/** A build must end within this; mkdocs on a large site takes a minute or two. */
const SYNC_TIMEOUT_MS = 10 * 60_000;
const METADATA_TIMEOUT_MS = 30_000;

const pathOf = ({ namespace, kind, name }: CompoundEntityRef) =>
  [namespace, kind, name].map(encodeURIComponent).join('/');

/**
 * The techdocs backend, asked as this portal: its sync route (which builds with the local builder, and
 * does nothing with an external one) and the metadata of the docs it serves.
 */
export class TechDocsBuildClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  private async get(path: string, timeoutMs: number) {
    const [baseUrl, { token }] = await Promise.all([
      this.discovery.getBaseUrl('techdocs'),
      this.auth.getPluginRequestToken({
        onBehalfOf: await this.auth.getOwnServiceCredentials(),
        targetPluginId: 'techdocs',
      }),
    ]);
    return fetch(`${baseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  /** Builds the entity's docs where the portal builds them; how the build ended. */
  async sync(entity: CompoundEntityRef): Promise<SyncOutcome> {
    const res = await this.get(`/sync/${pathOf(entity)}`, SYNC_TIMEOUT_MS);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return syncOutcomeOf(await res.text());
  }

  /** When the docs being served were built (ms since the epoch), or undefined when none are published. */
  async buildTimestamp(entity: CompoundEntityRef): Promise<number | undefined> {
    const res = await this.get(
      `/metadata/techdocs/${pathOf(entity)}`,
      METADATA_TIMEOUT_MS,
    );
    if (res.status === 404) return undefined;
    if (!res.ok) throw await ResponseError.fromResponse(res);
    const metadata = (await res.json()) as { build_timestamp?: unknown };
    return typeof metadata.build_timestamp === 'number'
      ? metadata.build_timestamp
      : undefined;
  }
}
