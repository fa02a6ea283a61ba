import { upstreamJson } from '@internal/upstream-fetch';

export interface GithubPull {
  number: number;
  title: string;
  html_url: string;
  draft?: boolean;
  created_at: string;
  user?: { login?: string } | null;
}

export interface GithubRun {
  id: number;
  name?: string | null;
  display_title?: string;
  status?: string | null;
  conclusion?: string | null;
  head_branch?: string | null;
  html_url: string;
  created_at: string;
}

export interface GithubClientOptions {
  apiBaseUrl: string;
  token?: string;
  timeoutMs?: number;
}

/** GitHub's REST API with the integration's token (people signed in through Keycloak have no GitHub token). */
export class GithubClient {
  constructor(private readonly options: GithubClientOptions) {}

  private get<T>(path: string) {
    return upstreamJson<T>({
      upstream: 'GitHub',
      url: `${this.options.apiBaseUrl.replace(/\/+$/, '')}${path}`,
      init: {
        headers: {
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          ...(this.options.token
            ? { authorization: `token ${this.options.token}` }
            : {}),
        },
      },
      timeoutMs: this.options.timeoutMs,
    });
  }

  openPullRequests(owner: string, repo: string): Promise<GithubPull[]> {
    return this.get(
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(
        repo,
      )}/pulls?state=open&per_page=10`,
    );
  }

  async latestRuns(owner: string, repo: string): Promise<GithubRun[]> {
    const page = await this.get<{ workflow_runs?: GithubRun[] }>(
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(
        repo,
      )}/actions/runs?per_page=5`,
    );
    return page.workflow_runs ?? [];
  }
}
