import express from 'express';
import { DemoCatalog } from '../demoCatalog';
import { SANDBOX_CREDENTIALS, bearerToken } from '../credentials';
import { daysBefore, sandboxToday, seededInt } from '../seeded';
import { registerGitRoutes } from './githubGit';

const LANGUAGE_BY_TAG: Record<string, string> = {
  java: 'Java',
  go: 'Go',
  typescript: 'TypeScript',
};

/**
 * GitHub REST v3, the subset the portal uses: GET /repos/{owner}/{repo}, and the Git data, contents and pull
 * request endpoints a Feishu migration needs to open (and close) a pull request.
 */
export function githubEmulator(catalog: DemoCatalog) {
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

  registerGitRoutes(app, catalog);
  return app;
}
