import express from 'express';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DemoCatalog, DemoComponent } from '../demoCatalog';
import { daysBefore, sandboxToday, seededInt } from '../seeded';

interface TreeEntry {
  path: string;
  mode: string;
  type: 'blob';
  sha: string;
}

interface Commit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
}

interface PullRequest {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  created_at: string;
  closed_at: string | null;
  /** Who opened it; the portal's own pull requests are opened by its app. */
  author?: string;
  draft?: boolean;
}

interface Repository {
  blobs: Map<string, Buffer>;
  /** Trees are flat: path → entry, as a recursive tree listing shows them. */
  trees: Map<string, Map<string, TreeEntry>>;
  commits: Map<string, Commit>;
  refs: Map<string, string>;
  pulls: PullRequest[];
}

const PULL_TITLES = [
  'Bump spring-boot to 3.3.5',
  'Add retry with jitter to the outbound HTTP client',
  'Expose p95 latency per endpoint',
  'Fix flaky integration test for idempotency keys',
  'Move feature flag reads behind the config client',
  'Reduce Docker image size with a distroless base',
];

/** One to three open pull requests by members of the owning team, the same on every run. */
function seededPullRequests(
  catalog: DemoCatalog,
  component: DemoComponent,
): PullRequest[] {
  const members = catalog.entities
    .filter(
      e =>
        e.kind === 'User' &&
        ((e.spec.memberOf as string[] | undefined) ?? []).includes(
          component.owner,
        ),
    )
    .map(
      e =>
        (e.metadata.annotations?.['github.com/user-login'] as string) ??
        e.metadata.name,
    );
  const count = seededInt(1, 3, 'pulls', component.name);
  const today = sandboxToday();
  return Array.from({ length: count }, (_, i) => {
    const title =
      PULL_TITLES[
        seededInt(0, PULL_TITLES.length - 1, component.name, 'title', i)
      ];
    return {
      number: 60 + seededInt(0, 9, component.name, 'number') * 3 + i,
      title,
      body: '',
      head: `feature/${component.name}-${i + 1}`,
      base: 'main',
      state: 'open' as const,
      created_at: daysBefore(
        today,
        seededInt(0, 9, component.name, 'opened', i),
      ).toISOString(),
      closed_at: null,
      author: members.length
        ? members[seededInt(0, members.length - 1, component.name, i)]
        : undefined,
      draft: i === 2,
    };
  });
}

const sha1 = (data: string | Buffer) =>
  crypto.createHash('sha1').update(data).digest('hex');

function notFound(res: express.Response, documentation: string) {
  res.status(404).json({
    message: 'Not Found',
    documentation_url: `https://docs.github.com/rest/${documentation}`,
    status: '404',
  });
}

function unprocessable(res: express.Response, message: string) {
  res.status(422).json({
    message,
    documentation_url: 'https://docs.github.com/rest',
    status: '422',
  });
}

/** What a `*` route matched: the request path after the route's fixed prefix. */
function wildcard(req: express.Request, prefix: string): string {
  return decodeURIComponent(req.path.slice(prefix.length));
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(entry =>
      entry.isDirectory()
        ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    );
}

/**
 * The Git data, contents and pull request endpoints a migration uses to open a pull request, kept in memory
 * per repository. A repository's main branch starts as the component's folder in the demo catalog.
 */
export function registerGitRoutes(app: express.Express, catalog: DemoCatalog) {
  const repositories = new Map<string, Repository>();
  let nextPullNumber = 101;

  const storeTree = (repo: Repository, entries: Map<string, TreeEntry>) => {
    const sha = sha1(
      JSON.stringify(
        [...entries.values()].sort((a, b) => a.path.localeCompare(b.path)),
      ),
    );
    repo.trees.set(sha, entries);
    return sha;
  };
  const storeCommit = (repo: Repository, commit: Omit<Commit, 'sha'>) => {
    const sha = sha1(JSON.stringify({ ...commit, at: repo.commits.size }));
    repo.commits.set(sha, { ...commit, sha });
    return sha;
  };

  const repository = (fullName: string): Repository | undefined => {
    const existing = repositories.get(fullName);
    if (existing) return existing;
    const component = catalog.components.find(
      c => c.annotations['github.com/project-slug'] === fullName,
    );
    if (!component) return undefined;
    const repo: Repository = {
      blobs: new Map(),
      trees: new Map(),
      commits: new Map(),
      refs: new Map(),
      pulls: seededPullRequests(catalog, component),
    };
    const dir = path.join(catalog.directory, 'components', component.name);
    const entries = new Map<string, TreeEntry>();
    for (const file of listFiles(dir)) {
      const content = fs.readFileSync(path.join(dir, file));
      const sha = sha1(content);
      repo.blobs.set(sha, content);
      entries.set(file, { path: file, mode: '100644', type: 'blob', sha });
    }
    const tree = storeTree(repo, entries);
    repo.refs.set(
      'heads/main',
      storeCommit(repo, { tree, parents: [], message: 'Initial commit' }),
    );
    repositories.set(fullName, repo);
    return repo;
  };

  const writes = express.Router({ mergeParams: true });
  writes.use((req, res, next) => {
    const fullName = `${req.params.owner}/${req.params.repo}`;
    const repo = res.locals.authenticated ? repository(fullName) : undefined;
    if (!repo) {
      notFound(res, 'repos/repos#get-a-repository');
      return;
    }
    res.locals.repo = repo;
    res.locals.fullName = fullName;
    next();
  });

  const pullJson = (fullName: string, pull: PullRequest) => ({
    number: pull.number,
    state: pull.state,
    title: pull.title,
    body: pull.body,
    html_url: `https://github.com/${fullName}/pull/${pull.number}`,
    url: `https://api.github.com/repos/${fullName}/pulls/${pull.number}`,
    head: {
      ref: pull.head,
      label: `${fullName.split('/')[0]}:${pull.head}`,
    },
    base: { ref: pull.base },
    created_at: pull.created_at,
    updated_at: pull.closed_at ?? pull.created_at,
    closed_at: pull.closed_at,
    merged: false,
    draft: pull.draft ?? false,
    user: {
      login: pull.author ?? 'quillstack-portal[bot]',
      type: pull.author ? 'User' : 'Bot',
    },
  });

  writes.get('/git/ref/*', (req, res) => {
    const repo: Repository = res.locals.repo;
    const ref = wildcard(req, '/git/ref/');
    const sha = repo.refs.get(ref);
    if (!sha) {
      notFound(res, 'git/refs#get-a-reference');
      return;
    }
    res.json({ ref: `refs/${ref}`, object: { sha, type: 'commit' } });
  });

  writes.post('/git/refs', (req, res) => {
    const repo: Repository = res.locals.repo;
    const { ref, sha } = req.body ?? {};
    if (typeof ref !== 'string' || !ref.startsWith('refs/heads/')) {
      unprocessable(res, 'Reference name must start with refs/heads/');
      return;
    }
    if (!repo.commits.has(sha)) {
      unprocessable(res, 'Object does not exist');
      return;
    }
    const name = ref.slice('refs/'.length);
    if (repo.refs.has(name)) {
      unprocessable(res, 'Reference already exists');
      return;
    }
    repo.refs.set(name, sha);
    res.status(201).json({ ref, object: { sha, type: 'commit' } });
  });

  writes.patch('/git/refs/*', (req, res) => {
    const repo: Repository = res.locals.repo;
    const name = wildcard(req, '/git/refs/');
    const { sha, force } = req.body ?? {};
    const current = repo.refs.get(name);
    if (!current) {
      unprocessable(res, 'Reference does not exist');
      return;
    }
    if (!repo.commits.has(sha)) {
      unprocessable(res, 'Object does not exist');
      return;
    }
    if (!force && !repo.commits.get(sha)!.parents.includes(current)) {
      unprocessable(res, 'Update is not a fast forward');
      return;
    }
    repo.refs.set(name, sha);
    res.json({ ref: `refs/${name}`, object: { sha, type: 'commit' } });
  });

  writes.delete('/git/refs/*', (req, res) => {
    const repo: Repository = res.locals.repo;
    if (!repo.refs.delete(wildcard(req, '/git/refs/'))) {
      unprocessable(res, 'Reference does not exist');
      return;
    }
    res.status(204).end();
  });

  writes.post('/git/blobs', (req, res) => {
    const repo: Repository = res.locals.repo;
    const { content, encoding } = req.body ?? {};
    if (typeof content !== 'string') {
      unprocessable(res, 'Invalid request: content is required');
      return;
    }
    const bytes = Buffer.from(
      content,
      encoding === 'base64' ? 'base64' : 'utf8',
    );
    const sha = sha1(bytes);
    repo.blobs.set(sha, bytes);
    res.status(201).json({ sha, url: `blobs/${sha}` });
  });

  writes.get('/git/commits/:sha', (req, res) => {
    const repo: Repository = res.locals.repo;
    const commit = repo.commits.get(req.params.sha);
    if (!commit) {
      notFound(res, 'git/commits#get-a-commit-object');
      return;
    }
    res.json({
      sha: commit.sha,
      message: commit.message,
      tree: { sha: commit.tree },
      parents: commit.parents.map(sha => ({ sha })),
    });
  });

  writes.get('/git/trees/:sha', (req, res) => {
    const repo: Repository = res.locals.repo;
    const tree = repo.trees.get(req.params.sha);
    if (!tree) {
      notFound(res, 'git/trees#get-a-tree');
      return;
    }
    res.json({
      sha: req.params.sha,
      tree: [...tree.values()],
      truncated: false,
    });
  });

  writes.post('/git/trees', (req, res) => {
    const repo: Repository = res.locals.repo;
    const { base_tree: baseTree, tree } = req.body ?? {};
    const base = baseTree ? repo.trees.get(baseTree) : new Map();
    if (!base || !Array.isArray(tree)) {
      unprocessable(res, 'Invalid tree info');
      return;
    }
    const entries = new Map<string, TreeEntry>(base);
    for (const entry of tree) {
      if (entry.sha === null) {
        entries.delete(entry.path);
        continue;
      }
      let sha = entry.sha;
      if (typeof entry.content === 'string') {
        const bytes = Buffer.from(entry.content);
        sha = sha1(bytes);
        repo.blobs.set(sha, bytes);
      }
      if (!repo.blobs.has(sha)) {
        unprocessable(res, `Invalid tree info: ${entry.path} has no blob`);
        return;
      }
      entries.set(entry.path, {
        path: entry.path,
        mode: entry.mode ?? '100644',
        type: 'blob',
        sha,
      });
    }
    const sha = storeTree(repo, entries);
    res.status(201).json({ sha, tree: [...entries.values()] });
  });

  writes.post('/git/commits', (req, res) => {
    const repo: Repository = res.locals.repo;
    const { message, tree, parents } = req.body ?? {};
    if (
      !repo.trees.has(tree) ||
      !(parents ?? []).every((p: string) => repo.commits.has(p))
    ) {
      unprocessable(res, 'Invalid tree or parent sha');
      return;
    }
    const sha = storeCommit(repo, {
      tree,
      parents: parents ?? [],
      message: String(message ?? ''),
    });
    res.status(201).json({ sha, tree: { sha: tree }, message });
  });

  writes.get('/contents/*', (req, res) => {
    const repo: Repository = res.locals.repo;
    const ref = String(req.query.ref ?? 'main');
    const head = repo.refs.get(`heads/${ref}`) ?? ref;
    const commit = repo.commits.get(head);
    const entry =
      commit && repo.trees.get(commit.tree)?.get(wildcard(req, '/contents/'));
    if (!entry) {
      notFound(res, 'repos/contents#get-repository-content');
      return;
    }
    res.json({
      type: 'file',
      encoding: 'base64',
      path: entry.path,
      name: path.posix.basename(entry.path),
      sha: entry.sha,
      content: repo.blobs.get(entry.sha)!.toString('base64'),
    });
  });

  writes.get('/pulls', (req, res) => {
    const repo: Repository = res.locals.repo;
    const fullName: string = res.locals.fullName;
    const state = String(req.query.state ?? 'open');
    const head = req.query.head ? String(req.query.head) : undefined;
    res.json(
      repo.pulls
        .filter(pull => state === 'all' || pull.state === state)
        .filter(
          pull => !head || `${fullName.split('/')[0]}:${pull.head}` === head,
        )
        .map(pull => pullJson(fullName, pull)),
    );
  });

  writes.post('/pulls', (req, res) => {
    const repo: Repository = res.locals.repo;
    const fullName: string = res.locals.fullName;
    const { title, head, base, body } = req.body ?? {};
    if (!title || !repo.refs.has(`heads/${head}`)) {
      unprocessable(res, `Validation Failed: head ${head} does not exist`);
      return;
    }
    if (
      repo.pulls.some(
        pull =>
          pull.state === 'open' && pull.head === head && pull.base === base,
      )
    ) {
      unprocessable(res, `A pull request already exists for ${head}.`);
      return;
    }
    const pull: PullRequest = {
      number: nextPullNumber++,
      title,
      body: body ?? '',
      head,
      base: base ?? 'main',
      state: 'open',
      created_at: new Date().toISOString(),
      closed_at: null,
    };
    repo.pulls.push(pull);
    res.status(201).json(pullJson(fullName, pull));
  });

  writes.get('/pulls/:number', (req, res) => {
    const repo: Repository = res.locals.repo;
    const pull = repo.pulls.find(p => p.number === Number(req.params.number));
    if (!pull) {
      notFound(res, 'pulls/pulls#get-a-pull-request');
      return;
    }
    res.json(pullJson(res.locals.fullName, pull));
  });

  writes.patch('/pulls/:number', (req, res) => {
    const repo: Repository = res.locals.repo;
    const pull = repo.pulls.find(p => p.number === Number(req.params.number));
    if (!pull) {
      notFound(res, 'pulls/pulls#update-a-pull-request');
      return;
    }
    if (req.body?.state === 'closed' && pull.state === 'open') {
      pull.state = 'closed';
      pull.closed_at = new Date().toISOString();
    }
    if (typeof req.body?.title === 'string') pull.title = req.body.title;
    res.json(pullJson(res.locals.fullName, pull));
  });

  app.use('/repos/:owner/:repo', writes);
}
