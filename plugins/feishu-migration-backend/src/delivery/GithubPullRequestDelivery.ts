import { Octokit } from '@octokit/rest';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { InputError } from '@backstage/errors';
import { StoredFile } from '../database/MigrationStore';
import {
  Delivery,
  DeliveryJob,
  DeliveryResult,
  ExistingDocs,
} from './Delivery';

const status = (error: unknown) => (error as { status?: number })?.status;

/** Deterministic, so a rollback after a delivery that died half-way still finds the branch. */
const branchOf = (job: DeliveryJob) =>
  job.branch ?? `feishu-migration/${job.id.slice(0, 8)}`;

/**
 * Production delivery: one commit on a branch of the service's repository and a pull request for the
 * owners to review. Resuming re-points the branch at an equivalent commit and reuses the open PR.
 */
export class GithubPullRequestDelivery implements Delivery {
  private readonly credentials: DefaultGithubCredentialsProvider;

  constructor(
    private readonly integrations: ScmIntegrations,
    private readonly host = 'github.com',
  ) {
    this.credentials =
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  }

  private async client(destination: string) {
    const [owner, repo] = destination.split('/');
    if (!owner || !repo) {
      throw new InputError(
        `"${destination}" is not owner/repo; set the github.com/project-slug annotation on the service`,
      );
    }
    const integration = this.integrations.github.byHost(this.host);
    if (!integration) {
      throw new InputError(
        `No integrations.github entry for ${this.host}; add one with a token or a GitHub App`,
      );
    }
    const { token } = await this.credentials.getCredentials({
      url: `https://${this.host}/${owner}/${repo}`,
    });
    const octokit = new Octokit({
      auth: token,
      baseUrl: integration.config.apiBaseUrl,
    });
    return { octokit, owner, repo };
  }

  private async defaultBranch(octokit: Octokit, owner: string, repo: string) {
    const { data } = await octokit.repos.get({ owner, repo });
    const ref = await octokit.git.getRef({
      owner,
      repo,
      ref: `heads/${data.default_branch}`,
    });
    return { name: data.default_branch, sha: ref.data.object.sha };
  }

  /** What a GitHub user may do in the repository (admin, maintain, write, triage, read or none). */
  async permissionOf(destination: string, login: string): Promise<string> {
    const { octokit, owner, repo } = await this.client(destination);
    try {
      const { data } = await octokit.repos.getCollaboratorPermissionLevel({
        owner,
        repo,
        username: login,
      });
      return data.role_name ?? data.permission;
    } catch (error) {
      if (status(error) === 404) return 'none';
      throw error;
    }
  }

  async readExisting(destination: string): Promise<ExistingDocs> {
    const { octokit, owner, repo } = await this.client(destination);
    const base = await this.defaultBranch(octokit, owner, repo);
    const commit = await octokit.git.getCommit({
      owner,
      repo,
      commit_sha: base.sha,
    });
    const tree = await octokit.git.getTree({
      owner,
      repo,
      tree_sha: commit.data.tree.sha,
      recursive: 'true',
    });
    let mkdocs: string | undefined;
    try {
      const { data } = await octokit.repos.getContent({
        owner,
        repo,
        path: 'mkdocs.yml',
        ref: base.name,
      });
      if ('content' in data) {
        mkdocs = Buffer.from(data.content, 'base64').toString('utf8');
      }
    } catch (error) {
      if (status(error) !== 404) throw error;
    }
    return {
      mkdocs,
      pages: tree.data.tree
        .map(entry => entry.path ?? '')
        .filter(p => p.startsWith('docs/') && p.endsWith('.md'))
        .map(p => p.slice('docs/'.length)),
    };
  }

  async deliver(
    job: DeliveryJob,
    files: StoredFile[],
  ): Promise<DeliveryResult> {
    const { octokit, owner, repo } = await this.client(job.destination);
    const base = await this.defaultBranch(octokit, owner, repo);
    const baseCommit = await octokit.git.getCommit({
      owner,
      repo,
      commit_sha: base.sha,
    });
    const tree = [];
    for (const file of files) {
      const blob = await octokit.git.createBlob({
        owner,
        repo,
        content: file.content.toString('base64'),
        encoding: 'base64',
      });
      tree.push({
        path: file.path,
        mode: '100644' as const,
        type: 'blob' as const,
        sha: blob.data.sha,
      });
    }
    const newTree = await octokit.git.createTree({
      owner,
      repo,
      base_tree: baseCommit.data.tree.sha,
      tree,
    });
    const commit = await octokit.git.createCommit({
      owner,
      repo,
      message: job.title,
      tree: newTree.data.sha,
      parents: [base.sha],
    });
    const branch = branchOf(job);
    try {
      await octokit.git.getRef({ owner, repo, ref: `heads/${branch}` });
      await octokit.git.updateRef({
        owner,
        repo,
        ref: `heads/${branch}`,
        sha: commit.data.sha,
        force: true,
      });
    } catch (error) {
      if (status(error) !== 404) throw error;
      await octokit.git.createRef({
        owner,
        repo,
        ref: `refs/heads/${branch}`,
        sha: commit.data.sha,
      });
    }
    const open = await octokit.pulls.list({
      owner,
      repo,
      state: 'open',
      head: `${owner}:${branch}`,
    });
    const pull =
      open.data[0] ??
      (
        await octokit.pulls.create({
          owner,
          repo,
          title: job.title,
          body: job.body,
          head: branch,
          base: base.name,
        })
      ).data;
    return {
      branch,
      pullRequestNumber: pull.number,
      pullRequestUrl: pull.html_url,
    };
  }

  async rollback(job: DeliveryJob): Promise<void> {
    const { octokit, owner, repo } = await this.client(job.destination);
    // The number is unknown when the delivery died between opening the PR and recording it.
    const numbers = job.pullRequestNumber
      ? [job.pullRequestNumber]
      : (
          await octokit.pulls.list({
            owner,
            repo,
            state: 'open',
            head: `${owner}:${branchOf(job)}`,
          })
        ).data.map(pull => pull.number);
    for (const pullNumber of numbers) {
      await octokit.pulls.update({
        owner,
        repo,
        pull_number: pullNumber,
        state: 'closed',
      });
    }
    try {
      await octokit.git.deleteRef({
        owner,
        repo,
        ref: `heads/${branchOf(job)}`,
      });
    } catch (error) {
      // Never created, already gone (an earlier rollback) or deleted by someone: nothing to restore.
      if (status(error) !== 422 && status(error) !== 404) throw error;
    }
  }
}
