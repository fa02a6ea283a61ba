import { upstreamJson } from '@internal/upstream-fetch';

/** The parts of an Argo CD Application the portal reads. */
export type ArgoApplication = {
  metadata: { name: string; labels?: Record<string, string> };
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
    operationState?: {
      phase?: string;
      message?: string;
      startedAt?: string;
      finishedAt?: string;
    };
    history?: Array<{
      revision?: string;
      deployedAt?: string;
      source?: { repoURL?: string };
    }>;
    reconciledAt?: string;
  };
};

export interface ArgoCdClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}

/** Argo CD's REST API with the portal's token. */
export class ArgoCdClient {
  constructor(private readonly options: ArgoCdClientOptions) {}

  private get<T>(path: string) {
    return upstreamJson<T>({
      upstream: 'Argo CD',
      url: `${this.options.baseUrl.replace(/\/+$/, '')}${path}`,
      init: { headers: { authorization: `Bearer ${this.options.token}` } },
      timeoutMs: this.options.timeoutMs,
    });
  }

  async listBySelector(selector: string): Promise<ArgoApplication[]> {
    const list = await this.get<{ items?: ArgoApplication[] | null }>(
      `/api/v1/applications?selector=${encodeURIComponent(selector)}`,
    );
    return list.items ?? [];
  }

  /** Starts a sync of the application's target revision; Argo CD answers with the application. */
  sync(name: string): Promise<ArgoApplication> {
    return upstreamJson<ArgoApplication>({
      upstream: 'Argo CD',
      url: `${this.options.baseUrl.replace(
        /\/+$/,
        '',
      )}/api/v1/applications/${encodeURIComponent(name)}/sync`,
      init: {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.options.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ prune: false, dryRun: false }),
      },
      timeoutMs: this.options.timeoutMs,
      // A sync is not idempotent enough to repeat blindly after a timeout.
      attempts: 1,
    });
  }

  getApplication(name: string): Promise<ArgoApplication> {
    return this.get(`/api/v1/applications/${encodeURIComponent(name)}`);
  }

  revisionMetadata(name: string, revision: string) {
    return this.get<Record<string, unknown>>(
      `/api/v1/applications/${encodeURIComponent(
        name,
      )}/revisions/${encodeURIComponent(revision)}/metadata`,
    );
  }

  /** The application in Argo CD's own UI. */
  applicationUrl(name: string) {
    return `${this.options.baseUrl.replace(
      /\/+$/,
      '',
    )}/applications/${encodeURIComponent(name)}`;
  }
}
