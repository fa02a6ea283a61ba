import express from 'express';
import { execFile, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DemoCatalog } from '../demoCatalog';
import { SANDBOX_CREDENTIALS } from '../credentials';

const run = promisify(execFile);

/** What happened to a repository the portal created, for the other emulators (Argo CD deploys it). */
export interface RepositoryPushed {
  fullName: string;
  sha: string;
  /** The default branch's files after the push, by path. */
  files: Map<string, Buffer>;
}

export class SandboxEvents extends EventEmitter {
  onRepositoryPushed(listener: (event: RepositoryPushed) => void) {
    this.on('repository-pushed', listener);
  }
  repositoryPushed(event: RepositoryPushed) {
    this.emit('repository-pushed', event);
  }
}

interface PublishedRepository {
  fullName: string;
  description: string;
  visibility: 'private' | 'internal' | 'public';
  createdAt: string;
  /** The bare repository git http-backend serves. */
  directory: string;
  topics: string[];
}

const NAME = /^[A-Za-z0-9._-]{1,100}$/;

function basicAuthPassword(header: string | undefined): string | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
}

async function git(directory: string, args: string[]) {
  const { stdout } = await run('git', ['-C', directory, ...args], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout as Buffer;
}

/** The default branch's head, or undefined before the first push. */
async function headOf(repo: PublishedRepository, ref = 'main') {
  try {
    return (
      await git(repo.directory, ['rev-parse', '--verify', `${ref}^{commit}`])
    )
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

async function filesAt(repo: PublishedRepository, sha: string) {
  const listing = (
    await git(repo.directory, ['ls-tree', '-r', '-z', '--name-only', sha])
  )
    .toString()
    .split('\0')
    .filter(Boolean);
  const files = new Map<string, Buffer>();
  for (const file of listing) {
    files.set(file, await git(repo.directory, ['show', `${sha}:${file}`]));
  }
  return files;
}

/**
 * What publish:github and the portal's readers need of a repository the portal creates: the org and user
 * lookups, repository creation in an organization (team access, topics, branch protection), the git smart
 * HTTP protocol (Git's own http-backend over a bare repository, so isomorphic-git's push is real), and the
 * repository, branch, commit status, contents and tarball endpoints the catalog and TechDocs read it with.
 * Every push is announced on `events`, so that Argo CD can deploy what the repository's manifests say.
 */
export function registerPublishedRepositoryRoutes(
  app: express.Express,
  catalog: DemoCatalog,
  events: SandboxEvents,
) {
  const root = fs.mkdtempSync(
    path.join(os.tmpdir(), 'quillstack-sandbox-github-'),
  );
  const published = new Map<string, PublishedRepository>();
  const organizations = new Set(
    catalog.components
      .map(c => c.annotations['github.com/project-slug']?.split('/')[0])
      .filter(Boolean),
  );
  const existsInDemo = (fullName: string) =>
    catalog.components.some(
      c => c.annotations['github.com/project-slug'] === fullName,
    );
  const apiBase = (req: express.Request) => `http://${req.headers.host}`;

  const repositoryJson = (req: express.Request, repo: PublishedRepository) => {
    const [owner, name] = repo.fullName.split('/');
    return {
      id: 700_000_000 + [...published.keys()].indexOf(repo.fullName),
      name,
      full_name: repo.fullName,
      private: repo.visibility !== 'public',
      visibility: repo.visibility,
      owner: {
        login: owner,
        type: 'Organization',
        html_url: `https://github.com/${owner}`,
      },
      html_url: `https://github.com/${repo.fullName}`,
      description: repo.description,
      url: `${apiBase(req)}/repos/${repo.fullName}`,
      clone_url: `${apiBase(req)}/git/${repo.fullName}.git`,
      archive_url: `${apiBase(req)}/repos/${
        repo.fullName
      }/{archive_format}{/ref}`,
      trees_url: `${apiBase(req)}/repos/${repo.fullName}/git/trees{/sha}`,
      default_branch: 'main',
      topics: repo.topics,
      archived: false,
      disabled: false,
      fork: false,
      open_issues_count: 0,
      stargazers_count: 0,
      watchers_count: 1,
      forks_count: 0,
      created_at: repo.createdAt,
      updated_at: repo.createdAt,
      pushed_at: repo.createdAt,
    };
  };

  const requireToken: express.RequestHandler = (_req, res, next) => {
    if (!res.locals.authenticated) {
      res
        .status(401)
        .json({ message: 'Requires authentication', status: '401' });
      return;
    }
    next();
  };

  app.get('/users/:name', (req, res, next) => {
    if (organizations.has(req.params.name)) {
      res.json({ login: req.params.name, type: 'Organization' });
      return;
    }
    next();
  });

  app.post('/orgs/:org/repos', requireToken, async (req, res) => {
    const { org } = req.params;
    const name = String(req.body?.name ?? '');
    const fullName = `${org}/${name}`;
    if (!organizations.has(org)) {
      res.status(404).json({ message: 'Not Found', status: '404' });
      return;
    }
    if (!NAME.test(name)) {
      res.status(422).json({
        message: 'Repository creation failed.',
        errors: [{ resource: 'Repository', field: 'name', code: 'invalid' }],
        status: '422',
      });
      return;
    }
    if (published.has(fullName) || existsInDemo(fullName)) {
      res.status(422).json({
        message: 'Repository creation failed.',
        errors: [
          {
            resource: 'Repository',
            code: 'custom',
            field: 'name',
            message: 'name already exists on this account',
          },
        ],
        status: '422',
      });
      return;
    }
    const directory = path.join(root, `${org}--${name}.git`);
    await run('git', [
      'init',
      '--bare',
      '--quiet',
      '--initial-branch=main',
      directory,
    ]);
    await git(directory, ['config', 'http.receivepack', 'true']);
    const repo: PublishedRepository = {
      fullName,
      description: String(req.body?.description ?? ''),
      visibility:
        req.body?.visibility ??
        (req.body?.private === false ? 'public' : 'private'),
      createdAt: new Date().toISOString(),
      directory,
      topics: [],
    };
    published.set(fullName, repo);
    res.status(201).json(repositoryJson(req, repo));
  });

  app.put(
    '/orgs/:org/teams/:team/repos/:owner/:repo',
    requireToken,
    (req, res) => {
      const found = published.has(`${req.params.owner}/${req.params.repo}`);
      res.status(found ? 204 : 404).end();
    },
  );

  // Git smart HTTP: info/refs, git-upload-pack and git-receive-pack, answered by `git http-backend`.
  app.all('/git/:owner/:repo.git/*', (req, res) => {
    const repo = published.get(`${req.params.owner}/${req.params.repo}`);
    const pushing =
      req.path.endsWith('/git-receive-pack') ||
      req.query.service === 'git-receive-pack';
    if (!repo) {
      res.status(404).send('Repository not found.');
      return;
    }
    if (
      basicAuthPassword(req.header('authorization')) !==
      SANDBOX_CREDENTIALS.githubToken
    ) {
      res.setHeader('WWW-Authenticate', 'Basic realm="GitHub"');
      res.status(401).send('Invalid username or password.');
      return;
    }
    const backend = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: `/${path.basename(repo.directory)}${req.path.slice(
          `/git/${repo.fullName}.git`.length,
        )}`,
        REQUEST_METHOD: req.method,
        QUERY_STRING: new URL(req.originalUrl, 'http://sandbox').search.slice(
          1,
        ),
        CONTENT_TYPE: req.header('content-type') ?? '',
        HTTP_CONTENT_ENCODING: req.header('content-encoding') ?? '',
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      },
    });
    req.pipe(backend.stdin);
    let header = Buffer.alloc(0);
    let headersSent = false;
    backend.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      header = Buffer.concat([header, chunk]);
      const end = header.indexOf('\r\n\r\n');
      if (end < 0) return;
      for (const line of header.subarray(0, end).toString().split('\r\n')) {
        const colon = line.indexOf(':');
        const key = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (key.toLowerCase() === 'status')
          res.statusCode = parseInt(value, 10);
        else res.setHeader(key, value);
      }
      headersSent = true;
      res.write(header.subarray(end + 4));
    });
    backend.stderr.resume();
    backend.on('close', async code => {
      if (!headersSent) res.status(500);
      res.end();
      if (code === 0 && pushing && req.method === 'POST') {
        const sha = await headOf(repo);
        if (sha)
          events.repositoryPushed({
            fullName: repo.fullName,
            sha,
            files: await filesAt(repo, sha),
          });
      }
    });
  });

  // The REST endpoints for published repositories; the demo's own repositories fall through to github.ts.
  const repos = express.Router({ mergeParams: true });
  repos.use((req, res, next) => {
    const repo = published.get(`${req.params.owner}/${req.params.repo}`);
    if (!repo) {
      next('router');
      return;
    }
    if (!res.locals.authenticated) {
      res.status(404).json({ message: 'Not Found', status: '404' });
      return;
    }
    res.locals.published = repo;
    next();
  });
  repos.get('/', (req, res) => {
    res.json(repositoryJson(req, res.locals.published));
  });
  repos.put('/topics', (req, res) => {
    const repo: PublishedRepository = res.locals.published;
    repo.topics = Array.isArray(req.body?.names)
      ? req.body.names.map(String)
      : [];
    res.json({ names: repo.topics });
  });
  repos.put('/branches/:branch/protection', (req, res) => {
    res.json({
      url: `${apiBase(req)}/repos/${res.locals.published.fullName}/branches/${
        req.params.branch
      }/protection`,
    });
  });
  const resolve = async (
    repo: PublishedRepository,
    ref: string,
    res: express.Response,
  ) => {
    const sha = await headOf(repo, ref);
    if (!sha)
      res
        .status(404)
        .json({ message: 'No commit found for the ref', status: '404' });
    return sha;
  };
  repos.get('/branches/:branch', async (req, res) => {
    const sha = await resolve(res.locals.published, req.params.branch, res);
    if (sha)
      res.json({ name: req.params.branch, commit: { sha }, protected: true });
  });
  repos.get('/commits/:ref/status', async (req, res) => {
    const repo: PublishedRepository = res.locals.published;
    const sha = await resolve(repo, req.params.ref, res);
    // As on github.com, the combined status names the repository (readTree takes its archive_url).
    if (sha) {
      res.json({
        state: 'success',
        sha,
        total_count: 0,
        statuses: [],
        repository: repositoryJson(req, repo),
      });
    }
  });
  repos.get('/tarball/:ref', async (req, res) => {
    const repo: PublishedRepository = res.locals.published;
    const sha = await resolve(repo, req.params.ref, res);
    if (!sha) return;
    const prefix = `${repo.fullName.replace('/', '-')}-${sha.slice(0, 7)}/`;
    res.setHeader('content-type', 'application/x-gzip');
    res.send(
      await git(repo.directory, [
        'archive',
        '--format=tar.gz',
        `--prefix=${prefix}`,
        sha,
      ]),
    );
  });
  repos.get('/contents/*', async (req, res) => {
    const repo: PublishedRepository = res.locals.published;
    const file = decodeURIComponent(req.path.slice('/contents/'.length));
    const sha = await resolve(repo, String(req.query.ref ?? 'main'), res);
    if (!sha) return;
    const files = await filesAt(repo, sha);
    const content = files.get(file);
    if (!content) {
      res.status(404).json({ message: 'Not Found', status: '404' });
      return;
    }
    if ((req.header('accept') ?? '').includes('raw')) {
      res.type('application/octet-stream').send(content);
      return;
    }
    res.json({
      type: 'file',
      encoding: 'base64',
      path: file,
      name: path.posix.basename(file),
      content: content.toString('base64'),
    });
  });
  repos.get('/pulls', (_req, res) => {
    res.json([]);
  });
  repos.get('/actions/runs', async (_req, res) => {
    const repo: PublishedRepository = res.locals.published;
    const sha = await headOf(repo);
    res.json({
      total_count: sha ? 1 : 0,
      workflow_runs: sha
        ? [
            {
              id: 8_000_000_000 + published.size,
              name: 'CI',
              display_title: 'Initial commit from the developer portal',
              run_number: 1,
              event: 'push',
              status: 'completed',
              conclusion: 'success',
              head_branch: 'main',
              head_sha: sha,
              html_url: `https://github.com/${repo.fullName}/actions`,
              created_at: repo.createdAt,
              updated_at: repo.createdAt,
              run_started_at: repo.createdAt,
              actor: { login: 'quillstack-portal[bot]', type: 'Bot' },
            },
          ]
        : [],
    });
  });
  app.use('/repos/:owner/:repo', repos);
}
