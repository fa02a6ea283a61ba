import { upstreamJson } from '@internal/upstream-fetch';

/** The parts of a Sentry issue the portal reads. */
export interface SentryIssue {
  id: string;
  shortId?: string;
  title: string;
  culprit?: string;
  permalink: string;
  level?: string;
  status?: string;
  count?: string | number;
  userCount?: number;
  firstSeen: string;
  lastSeen: string;
  stats?: { '24h'?: Array<[number, number]> };
}

export interface SentryClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}

/** Sentry's API with the portal's token. */
export class SentryClient {
  constructor(private readonly options: SentryClientOptions) {}

  unresolvedIssues(
    organization: string,
    project: string,
  ): Promise<SentryIssue[]> {
    return upstreamJson({
      upstream: 'Sentry',
      url: `${this.options.baseUrl.replace(
        /\/+$/,
        '',
      )}/api/0/projects/${encodeURIComponent(
        organization,
      )}/${encodeURIComponent(
        project,
      )}/issues/?query=is:unresolved&statsPeriod=24h&limit=25`,
      init: { headers: { authorization: `Bearer ${this.options.token}` } },
      timeoutMs: this.options.timeoutMs,
    });
  }
}
