import express from 'express';
import { DemoCatalog } from '../demoCatalog';
import { SANDBOX_CREDENTIALS, bearerToken } from '../credentials';
import { daysBefore, sandboxToday, seededInt } from '../seeded';
import { registerGitRoutes } from './githubGit';
import {
  registerPublishedRepositoryRoutes,
  SandboxEvents,
} from './githubPublished';

function conclusionOf(failing: boolean, index: number) {
  if (failing) return 'failure';
  return index === 5 ? 'cancelled' : 'success';
}

/** Services whose latest CI run fails in the demo. */
const FAILING_BUILDS = new Set(['pdf-renderer']);

const LANGUAGE_BY_TAG: Record<string, string> = {
  java: 'Java',
  go: 'Go',
  typescript: 'TypeScript',
};

/**
 * GitHub REST v3, the subset the portal uses: GET /repos/{owner}/{repo}, the Git data, contents and pull
 * request endpoints a Feishu migration needs to open (and close) a pull request, and repository creation
 * with a real git push for the golden paths (githubPublished.ts).
 */
export function githubEmulator(
  catalog: DemoCatalog,
  { events }: { events: SandboxEvents },
) {
  const app = express();
  const today = sandboxToday();
  app.use(express.json({ limit: '50mb' }));

  app.use((req, res, next) => {
    res.setHeader('x-github-api-version-selected', '2022-11-28');
    res.setHeader('x-ratelimit-limit', '5000');
    res.setHeader('x-ratelimit-remaining', '4987');
    const token = bearerToken(req.header('authorization'));
    if (token !== undefined && token !== SANDBOX_CREDENTIALS.githubToken) {
      res.status(401).json({
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
      return;
    }
    res.locals.authenticated = token !== undefined;
    next();
  });

  // Repositories the golden paths create; everything below serves the demo catalog's repositories.
  registerPublishedRepositoryRoutes(app, catalog, events);

  // Who may push: the owning team's members write, everyone else in the org reads.
  app.get(
    '/repos/:owner/:repo/collaborators/:username/permission',
    (req, res) => {
      const fullName = `${req.params.owner}/${req.params.repo}`;
      const component = catalog.components.find(
        c => c.annotations['github.com/project-slug'] === fullName,
      );
      const user = catalog.entities.find(
        e =>
          e.kind === 'User' &&
          ((e.metadata.annotations?.['github.com/user-login'] as string) ??
            e.metadata.name) === req.params.username,
      );
      if (!component || !res.locals.authenticated || !user) {
        res.status(404).json({ message: 'Not Found', status: '404' });
        return;
      }
      const memberOf = (user.spec.memberOf as string[] | undefined) ?? [];
      const permission = memberOf.includes(component.owner) ? 'write' : 'read';
      res.json({
        permission,
        role_name: permission,
        user: { login: req.params.username, type: 'User' },
      });
    },
  );

  app.get('/repos/:owner/:repo', (req, res) => {
    const fullName = `${req.params.owner}/${req.params.repo}`;
    const component = catalog.components.find(
      c => c.annotations['github.com/project-slug'] === fullName,
    );
    // Private repositories are invisible without a token, as on github.com.
    if (!component || !res.locals.authenticated) {
      res.status(404).json({
        message: 'Not Found',
        documentation_url:
          'https://docs.github.com/rest/repos/repos#get-a-repository',
        status: '404',
      });
      return;
    }
    const [owner, name] = fullName.split('/');
    const id = seededInt(100_000_000, 999_999_999, 'repo', fullName);
    const language =
      component.tags.map(tag => LANGUAGE_BY_TAG[tag]).find(Boolean) ?? null;
    res.json({
      id,
      node_id: `R_kgDO${id.toString(36).toUpperCase()}`,
      name,
      full_name: fullName,
      private: true,
      visibility: 'private',
      owner: {
        login: owner,
        id: 81_234_567,
        type: 'Organization',
        html_url: `https://github.com/${owner}`,
      },
      html_url: `https://github.com/${fullName}`,
      description: component.description,
      fork: false,
      url: `https://api.github.com/repos/${fullName}`,
      default_branch: 'main',
      language,
      topics: component.tags,
      archived: false,
      disabled: false,
      open_issues_count: seededInt(0, 40, 'issues', fullName),
      stargazers_count: seededInt(0, 25, 'stars', fullName),
      watchers_count: seededInt(2, 15, 'watchers', fullName),
      forks_count: 0,
      size: seededInt(800, 90_000, 'size', fullName),
      created_at: daysBefore(
        today,
        seededInt(200, 1400, 'created', fullName),
      ).toISOString(),
      updated_at: daysBefore(today, 1).toISOString(),
      pushed_at: daysBefore(
        today,
        seededInt(0, 6, 'pushed', fullName),
      ).toISOString(),
    });
  });

  // GitHub Actions: the latest workflow runs of the repository's CI; pdf-renderer's newest build fails.
  app.get('/repos/:owner/:repo/actions/runs', (req, res) => {
    const fullName = `${req.params.owner}/${req.params.repo}`;
    const component = catalog.components.find(
      c => c.annotations['github.com/project-slug'] === fullName,
    );
    if (!component || !res.locals.authenticated) {
      res.status(404).json({ message: 'Not Found', status: '404' });
      return;
    }
    const perPage = Math.min(Number(req.query.per_page ?? 30) || 30, 100);
    const runs = Array.from({ length: 8 }, (_, i) => {
      const failing = FAILING_BUILDS.has(component.name) && i === 0;
      const created = new Date(
        today.getTime() -
          (i * 9 + seededInt(1, 8, fullName, 'run', i)) * 3_600_000,
      );
      const id = seededInt(9_000_000_000, 9_999_999_999, fullName, 'run', i);
      return {
        id,
        name: 'CI',
        display_title:
          i % 3 === 0 ? 'Merge pull request' : `Build ${component.name}`,
        run_number: 480 - i,
        event: i % 3 === 0 ? 'push' : 'pull_request',
        status: 'completed',
        conclusion: conclusionOf(failing, i),
        head_branch:
          i % 3 === 0 ? 'main' : `feature/${component.name}-${(i % 2) + 1}`,
        head_sha: seededInt(1e9, 9e9, fullName, 'sha', i)
          .toString(16)
          .padEnd(40, 'a'),
        html_url: `https://github.com/${fullName}/actions/runs/${id}`,
        created_at: created.toISOString(),
        updated_at: new Date(
          created.getTime() + seededInt(180, 900, fullName, i) * 1000,
        ).toISOString(),
        run_started_at: created.toISOString(),
        actor: { login: 'quillstack-ci', type: 'Bot' },
      };
    });
    res.json({
      total_count: runs.length,
      workflow_runs: runs.slice(0, perPage),
    });
  });

  registerGitRoutes(app, catalog);
  return app;
}
